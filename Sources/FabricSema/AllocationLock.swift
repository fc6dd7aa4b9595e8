import FabricBase
import FabricDiagnostics
import FabricSyntax

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

    public init() {}

    public var isEmpty: Bool { addresses.isEmpty && macs.isEmpty && quarantined.isEmpty }

    /// The file's text: a header, then every entry, sorted.
    public func rendered(entry: String) -> String {
        var lines: [(key: SortKey, text: String)] = []
        lines.reserveCapacity(addresses.count + macs.count + quarantined.count)
        for a in addresses {
            lines.append(
                (
                    SortKey(group: 0, owner: a.owner, rank: 0, number: 0),
                    "\(a.owner.kind.rawValue) \(Self.token(a.owner.name)) ip \(a.address) pool \(Self.token(a.pool))"
                ))
        }
        for m in macs {
            lines.append(
                (
                    SortKey(group: 0, owner: m.owner, rank: 1, number: 0),
                    "\(m.owner.kind.rawValue) \(Self.token(m.owner.name)) mac \(m.mac)"
                ))
        }
        for q in quarantined {
            let was = "was \(q.was.kind.rawValue) \(Self.token(q.was.name))"
            switch q.value {
            case .address(let a, let pool):
                lines.append(
                    (
                        SortKey(group: 1, owner: q.was, rank: a.bits, number: a.number),
                        "quarantine ip \(a) pool \(Self.token(pool)) \(was)"
                    ))
            case .mac(let m):
                lines.append(
                    (SortKey(group: 2, owner: q.was, rank: 0, number: UInt128(m.value)), "quarantine mac \(m) \(was)"))
            }
        }
        lines.sort { $0.key < $1.key }
        var out = Self.header(entry: entry)
        out.reserveCapacity(out.utf8.count + lines.count * 48)
        for l in lines {
            out += l.text
            out += "\n"
        }
        return out
    }

    static func header(entry: String) -> String {
        """
        # fabricc allocation lock for \(entry): the addresses and MACs fabricc handed out.
        # Commit it with the intent; `fabricc build` keeps it, `fabricc lock` edits it.

        """
    }

    struct SortKey: Comparable {
        let group: Int
        let owner: AllocationLock.Owner
        let rank: Int
        let number: UInt128
        static func < (a: SortKey, b: SortKey) -> Bool {
            if a.group != b.group { return a.group < b.group }
            if a.group == 0 {
                return a.owner != b.owner ? a.owner < b.owner : a.rank < b.rank
            }
            return (a.rank, a.number, a.owner) < (b.rank, b.number, b.owner)
        }
    }

    /// A name as one token: bare when it is plain, else quoted.
    static func token(_ name: String) -> String {
        let plain =
            !name.isEmpty
            && name.utf8.allSatisfy {
                ($0 >= 0x30 && $0 <= 0x39) || ($0 >= 0x41 && $0 <= 0x5A) || ($0 >= 0x61 && $0 <= 0x7A)
                    || $0 == UInt8(ascii: "-") || $0 == UInt8(ascii: "_") || $0 == UInt8(ascii: ".")
            }
        if plain { return name }
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
