import FabricBase
import FabricDiagnostics
import FabricSyntax
import Glibc

/// What fabricc handed out, as read from and written to the lock file
/// beside the entry (`intent.fab.lock`): one allocation per line, sorted by
/// owner, so `git diff` shows exactly what moved and two branches that add
/// different VMs touch different lines.
///
/// ```
/// vm web01 ip 10.0.0.5 pool public
/// vm web01 mac 0e:fa:b0:00:00:01
/// quarantine ip 10.0.0.7 pool public was vm old
/// ```
public struct AllocationLock: Sendable {
    /// Who an allocation belongs to; VM and pod names are fabric-wide.
    public struct Owner: Sendable, Hashable, Comparable, CustomStringConvertible {
        public enum Kind: String, Sendable, Hashable, Comparable {
            case pod, vm
            public static func < (a: Kind, b: Kind) -> Bool { a.rawValue < b.rawValue }
        }
        public let kind: Kind
        public let name: String
        public init(_ kind: Kind, _ name: String) {
            self.kind = kind
            self.name = name
        }
        public var description: String { "\(kind == .vm ? "VM" : "pod") `\(name)`" }
        public static func < (a: Owner, b: Owner) -> Bool { (a.kind, a.name) < (b.kind, b.name) }
    }

    public struct Address: Sendable {
        public let owner: Owner
        public let address: IPAddress
        public let pool: String
        /// The line it was read from; nil for an allocation made now.
        public let line: Span?
        public init(owner: Owner, address: IPAddress, pool: String, line: Span?) {
            self.owner = owner
            self.address = address
            self.pool = pool
            self.line = line
        }
    }

    public struct MAC: Sendable {
        public let owner: Owner
        public let mac: MACAddress
        public let line: Span?
        public init(owner: Owner, mac: MACAddress, line: Span?) {
            self.owner = owner
            self.mac = mac
            self.line = line
        }
    }

    /// An address or MAC whose owner left the intent: never handed out
    /// again until `fabricc lock release` frees it (docs/language.md).
    public struct Quarantined: Sendable {
        public enum Value: Sendable, Hashable {
            case address(IPAddress, pool: String)
            case mac(MACAddress)
        }
        public let value: Value
        public let was: Owner
        public let line: Span?
    }

    public var addresses: [Address] = []
    public var macs: [MAC] = []
    public var quarantined: [Quarantined] = []
    /// Set by ``parse(_:)`` when the text read is exactly what
    /// ``rendered(entry:)`` writes for its entries: the bytes of its header.
    public internal(set) var canonicalHeader: Range<Int>?
    /// Set by the allocator when it kept every line of the lock it read and
    /// added none: the next lock holds the same lines.
    public internal(set) var isUnchanged = false

    public init() {}

    public var isEmpty: Bool { addresses.isEmpty && macs.isEmpty && quarantined.isEmpty }

    /// The same lock with its lines' spans in file `new`: the lock is read
    /// while the intent loads, before its place among the sources is known.
    public func moving(to new: FileID) -> AllocationLock {
        func move(_ s: Span?) -> Span? { s.map { Span(file: new, start: $0.start, end: $0.end) } }
        var out = AllocationLock()
        out.addresses = addresses.map {
            Address(owner: $0.owner, address: $0.address, pool: $0.pool, line: move($0.line))
        }
        out.macs = macs.map { MAC(owner: $0.owner, mac: $0.mac, line: move($0.line)) }
        out.quarantined = quarantined.map { Quarantined(value: $0.value, was: $0.was, line: move($0.line)) }
        out.canonicalHeader = canonicalHeader
        return out
    }

    /// The file's text: a header, then every entry, sorted: each owner's
    /// lines by their bytes (pods, then VMs, by name), then what rests in
    /// quarantine, by address. Written into one buffer and sorted by
    /// offsets: a lock holds a line per VM, 100,000 and more.
    public func rendered(entry: String) -> String {
        var text = LockText()
        text.bytes.reserveCapacity((addresses.count + macs.count + quarantined.count) * 44)
        var owned: [Range<Int>] = []
        owned.reserveCapacity(addresses.count + macs.count)
        for a in addresses {
            let start = text.bytes.count
            text.owner(a.owner)
            text.append(" ip ")
            text.address(a.address)
            text.append(" pool ")
            text.token(a.pool)
            owned.append(start..<text.bytes.count)
        }
        for m in macs {
            let start = text.bytes.count
            text.owner(m.owner)
            text.append(" mac ")
            text.mac(m.mac)
            owned.append(start..<text.bytes.count)
        }
        var resting: [(key: (Int, UInt128), range: Range<Int>)] = []
        for q in quarantined {
            let start = text.bytes.count
            let key: (Int, UInt128)
            switch q.value {
            case .address(let a, let pool):
                key = (a.bits, a.number)
                text.append("quarantine ip ")
                text.address(a)
                text.append(" pool ")
                text.token(pool)
            case .mac(let m):
                key = (256, UInt128(m.value))
                text.append("quarantine mac ")
                text.mac(m)
            }
            text.append(" was ")
            text.owner(q.was)
            resting.append((key, start..<text.bytes.count))
        }
        text.bytes.withUnsafeBufferPointer { p in
            owned.sort { a, b in
                let c = memcmp(p.baseAddress! + a.lowerBound, p.baseAddress! + b.lowerBound, min(a.count, b.count))
                return c != 0 ? c < 0 : a.count < b.count
            }
        }
        resting.sort { $0.key < $1.key }
        var out = Array(Self.header(entry: entry).utf8)
        out.reserveCapacity(out.count + text.bytes.count + owned.count + resting.count)
        for r in owned + resting.map(\.range) {
            out.append(contentsOf: text.bytes[r])
            out.append(0x0A)
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// The text `read` had, when this lock (the allocator's result) holds
    /// just what it held and that text is fabricc's own rendering of it:
    /// then nothing needs rendering. Else nil.
    public func unchangedText(from read: AllocationLock, text: [UInt8], entry: String) -> [UInt8]? {
        guard isUnchanged, let header = read.canonicalHeader, text[header].elementsEqual(Self.header(entry: entry).utf8)
        else { return nil }
        return text
    }

    static func header(entry: String) -> String {
        """
        # fabricc allocation lock for \(entry): the addresses and MACs fabricc handed out.
        # Commit it with the intent; `fabricc build` keeps it, `fabricc lock` edits it.

        """
    }

    /// A name as one token: bare when it is plain, else quoted.
    static func token(_ name: String) -> String {
        if isPlain(name) { return name }
        var out = "\""
        for c in name.unicodeScalars {
            switch c {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            default: out.unicodeScalars.append(c)
            }
        }
        return out + "\""
    }

    /// Letters, digits, `-`, `_` and `.`: a token needing no quotes.
    static func isPlain(_ name: String) -> Bool {
        !name.isEmpty
            && name.allUTF8 {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                    || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
    }
}

/// The bytes of lock lines, written without a `String` per field.
struct LockText {
    var bytes: [UInt8] = []

    mutating func append(_ s: StaticString) {
        s.withUTF8Buffer { bytes.append(contentsOf: $0) }
    }

    mutating func token(_ name: String) {
        if AllocationLock.isPlain(name) {
            bytes.append(contentsOf: name.utf8)
        } else {
            bytes.append(contentsOf: AllocationLock.token(name).utf8)
        }
    }

    mutating func owner(_ o: AllocationLock.Owner) {
        append(o.kind == .vm ? "vm " : "pod ")
        token(o.name)
    }

    mutating func decimal(_ v: UInt32) {
        if v >= 10 { decimal(v / 10) }
        bytes.append(UInt8(48 + v % 10))
    }

    mutating func address(_ a: IPAddress) {
        guard case .v4(let v4) = a else {
            bytes.append(contentsOf: a.description.utf8)
            return
        }
        for k in 0..<4 {
            if k > 0 { bytes.append(UInt8(ascii: ".")) }
            decimal((v4.value >> (24 - 8 * UInt32(k))) & 0xFF)
        }
    }

    static let hex = Array("0123456789abcdef".utf8)

    mutating func mac(_ m: MACAddress) {
        let hex = Self.hex
        for k in 0..<6 {
            if k > 0 { bytes.append(UInt8(ascii: ":")) }
            let b = Int((m.value >> (40 - 8 * UInt64(k))) & 0xFF)
            bytes.append(hex[b >> 4])
            bytes.append(hex[b & 0xF])
        }
    }
}

extension MACAddress {
    /// `0e:fa:b0:00:00:01`; nil unless six two-digit hex groups.
    public init?(text: String) {
        let groups = text.split(separator: ":", omittingEmptySubsequences: false)
        guard groups.count == 6 else { return nil }
        var v: UInt64 = 0
        for g in groups {
            guard g.count == 2, let b = UInt8(g, radix: 16) else { return nil }
            v = v << 8 | UInt64(b)
        }
        self.init(v)
    }
}
