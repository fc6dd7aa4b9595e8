import FabricBase
import FabricDiagnostics
import FabricSyntax
import Glibc

extension AllocationLock {
    /// Reads a lock file. A line that is not one fabricc writes (a merge
    /// conflict, a typo) is FAB4018 at that line; the caller allocates
    /// nothing while any is left, so no allocation moves because a line
    /// could not be read.
    public static func parse(_ file: SourceFile) -> (AllocationLock, [Diagnostic]) {
        var lock = AllocationLock()
        var diagnostics: [Diagnostic] = []
        let bytes = file.bytes
        var tokens: [Range<Int>] = []
        tokens.reserveCapacity(10)
        // Whether the text is exactly what ``rendered(entry:)`` writes for
        // what it holds (a header of comments, then sorted lines, spaced as
        // fabricc spaces them): then a build that changes nothing need not
        // write it out again to know it is current.
        var canonical = CanonicalOrder()
        for index in 0..<file.lineCount {
            let range = file.lineRange(index)
            tokenRanges(bytes, range, into: &tokens)
            guard let first = tokens.first, bytes[first.lowerBound] != UInt8(ascii: "#") else {
                canonical.comment(range, blank: tokens.isEmpty, last: index == file.lineCount - 1)
                continue
            }
            let span = Span(file: file.id, start: UInt32(range.lowerBound), end: UInt32(range.upperBound))
            // The lines fabricc writes, read without a string per field;
            // anything else goes the slow way, which says what is wrong.
            if let entry = fastLine(bytes, tokens, span: span) {
                canonical.line(entry, bytes, range, tokens)
                lock.add(entry)
                continue
            }
            canonical.isCanonical = false
            let words = tokenize(bytes, range).map(\.text)
            switch parseLine(words, span: span) {
            case .success(let entry):
                lock.add(entry)
            case .failure(let problem):
                var d = Diagnostic(.lockLine, at: span, "unreadable line in the allocation lock").labelled(
                    problem.label)
                if let help = problem.help { d = d.help(help) }
                diagnostics.append(d)
            }
        }
        if bytes.last != 0x0A { canonical.isCanonical = false }
        if canonical.isCanonical, let end = canonical.headerEnd { lock.canonicalHeader = 0..<end }
        return (lock, diagnostics)
    }

    /// Follows the lines of a lock as they are read, to tell whether the
    /// text is in fabricc's own order and spacing.
    struct CanonicalOrder {
        var isCanonical = true
        /// Where the header of comment lines ends, once a line follows it.
        var headerEnd: Int?
        var headerOpen = true
        var previousOwner: Range<Int>?
        /// 0: owners' lines, 1: quarantined addresses, 2: quarantined MACs.
        var phase = 0
        var previousKey: UInt64 = 0

        mutating func comment(_ range: Range<Int>, blank: Bool, last: Bool) {
            // Comments belong to the header; the file's last line is empty.
            if !headerOpen && !(blank && last && range.isEmpty) { isCanonical = false }
            if blank && !(last && range.isEmpty) { isCanonical = false }
        }

        mutating func line(_ entry: Entry, _ b: [UInt8], _ range: Range<Int>, _ t: [Range<Int>]) {
            if headerOpen {
                headerOpen = false
                headerEnd = range.lowerBound
            }
            // Lines end in a line feed alone.
            guard isCanonical, range.upperBound < b.count, b[range.upperBound] == 0x0A else {
                isCanonical = false
                return
            }
            // One space between tokens, none around them, names bare only when plain.
            var at = range.lowerBound
            for r in t {
                guard r.lowerBound == at, b[r].allSatisfy({ $0 != UInt8(ascii: "\\") }) else {
                    isCanonical = false
                    return
                }
                at = r.upperBound + 1
            }
            guard at == range.upperBound + 1, b[range].allSatisfy({ $0 < 0x80 && $0 != 0x09 && $0 != 0x0D }) else {
                isCanonical = false
                return
            }
            switch entry {
            case .address(let a):
                ownerLine(b, range, plain: a.owner.name, a.pool)
            case .mac(let m):
                ownerLine(b, range, plain: m.owner.name)
                if b[t[3]].contains(where: { $0 >= 0x41 && $0 <= 0x46 }) { isCanonical = false }
            case .quarantined(let q):
                let key: UInt64
                let phase: Int
                switch q.value {
                case .address(let a, let pool):
                    guard case .v4(let v4) = a, AllocationLock.isPlain(pool) else {
                        isCanonical = false
                        return
                    }
                    (key, phase) = (UInt64(v4.value), 1)
                case .mac(let m):
                    if b[t[2]].contains(where: { $0 >= 0x41 && $0 <= 0x46 }) { isCanonical = false }
                    (key, phase) = (m.value, 2)
                }
                if !AllocationLock.isPlain(q.was.name) { isCanonical = false }
                if phase < self.phase || (phase == self.phase && key <= previousKey) { isCanonical = false }
                (self.phase, previousKey) = (phase, key)
            }
        }

        mutating func ownerLine(_ b: [UInt8], _ range: Range<Int>, plain names: String...) {
            guard phase == 0, names.allSatisfy(AllocationLock.isPlain) else {
                isCanonical = false
                return
            }
            if let p = previousOwner {
                let ordered = b.withUnsafeBufferPointer { buf in
                    let c = memcmp(
                        buf.baseAddress! + p.lowerBound, buf.baseAddress! + range.lowerBound, min(p.count, range.count))
                    return c != 0 ? c < 0 : p.count < range.count
                }
                if !ordered { isCanonical = false }
            }
            previousOwner = range
        }
    }

    mutating func add(_ entry: Entry) {
        switch entry {
        case .address(let a): addresses.append(a)
        case .mac(let m): macs.append(m)
        case .quarantined(let q): quarantined.append(q)
        }
    }

    static func fastLine(_ b: [UInt8], _ t: [Range<Int>], span: Span) -> Entry? {
        func isWord(_ r: Range<Int>, _ w: StaticString) -> Bool {
            r.count == w.utf8CodeUnitCount
                && w.withUTF8Buffer { w in b[r].elementsEqual(w) }
        }
        func kind(_ r: Range<Int>) -> Owner.Kind? {
            isWord(r, "vm") ? .vm : isWord(r, "pod") ? .pod : nil
        }
        func plain(_ r: Range<Int>) -> String? {
            b[r.lowerBound] == UInt8(ascii: "\"") ? nil : String(decoding: b[r], as: UTF8.self)
        }
        if t.count == 6 || t.count == 4, let k = kind(t[0]), let name = plain(t[1]) {
            if t.count == 6, isWord(t[2], "ip"), isWord(t[4], "pool"), let a = ipv4(b, t[3]), let pool = plain(t[5]) {
                return .address(Address(owner: Owner(k, name), address: a, pool: pool, line: span))
            }
            if t.count == 4, k == .vm, isWord(t[2], "mac"), let m = mac(b, t[3]) {
                return .mac(MAC(owner: Owner(k, name), mac: m, line: span))
            }
            return nil
        }
        guard t.count >= 6, isWord(t[0], "quarantine") else { return nil }
        if t.count == 8, isWord(t[1], "ip"), isWord(t[3], "pool"), isWord(t[5], "was"), let k = kind(t[6]),
            let a = ipv4(b, t[2]), let pool = plain(t[4]), let name = plain(t[7])
        {
            return .quarantined(Quarantined(value: .address(a, pool: pool), was: Owner(k, name), line: span))
        }
        if t.count == 6, isWord(t[1], "mac"), isWord(t[3], "was"), let k = kind(t[4]), let m = mac(b, t[2]),
            let name = plain(t[5])
        {
            return .quarantined(Quarantined(value: .mac(m), was: Owner(k, name), line: span))
        }
        return nil
    }

    /// `a.b.c.d` in canonical form, else nil (IPv6 goes the slow way).
    static func ipv4(_ b: [UInt8], _ r: Range<Int>) -> IPAddress? {
        var value: UInt32 = 0
        var part: UInt32 = 0
        var digits = 0
        var dots = 0
        for i in r {
            let c = b[i]
            if c == UInt8(ascii: ".") {
                guard digits > 0, dots < 3 else { return nil }
                value = value << 8 | part
                (part, digits, dots) = (0, 0, dots + 1)
            } else if c >= 48 && c <= 57 {
                if digits > 0 && part == 0 { return nil }  // a leading zero
                part = part * 10 + UInt32(c - 48)
                digits += 1
                guard part <= 255 else { return nil }
            } else {
                return nil
            }
        }
        guard digits > 0, dots == 3 else { return nil }
        return .v4(IPv4Address(value << 8 | part))
    }

    static func mac(_ b: [UInt8], _ r: Range<Int>) -> MACAddress? {
        guard r.count == 17 else { return nil }
        var value: UInt64 = 0
        for (k, i) in r.enumerated() {
            let c = b[i]
            if k % 3 == 2 {
                guard c == UInt8(ascii: ":") else { return nil }
                continue
            }
            let d: UInt8
            switch c {
            case 48...57: d = c - 48
            case 97...102: d = c - 87
            case 65...70: d = c - 55
            default: return nil
            }
            value = value << 4 | UInt64(d)
        }
        return MACAddress(value)
    }

    /// The ranges of a line's blank-separated tokens, quotes included.
    static func tokenRanges(_ bytes: [UInt8], _ range: Range<Int>, into out: inout [Range<Int>]) {
        out.removeAll(keepingCapacity: true)
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let c = bytes[i]
            if c == 0x20 || c == 0x09 {
                i += 1
                continue
            }
            let start = i
            if c == UInt8(ascii: "\"") {
                i += 1
                while i < end, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\"), i + 1 < end { i += 1 }
                    i += 1
                }
                i = min(i + 1, end)
            } else {
                while i < end, bytes[i] != 0x20, bytes[i] != 0x09 { i += 1 }
            }
            out.append(start..<i)
        }
    }

    enum Entry {
        case address(Address)
        case mac(MAC)
        case quarantined(Quarantined)
    }

    struct Problem: Error {
        let label: String
        var help: String? = nil
    }

    static func parseLine(_ t: [String], span: Span) -> Result<Entry, Problem> {
        if ["<<<<<<<", "=======", ">>>>>>>", "|||||||"].contains(where: { t[0].hasPrefix($0) }) {
            return .failure(
                Problem(
                    label: "an unresolved merge conflict",
                    help:
                        "keep the lines of both sides and delete the markers; fabricc reports any address both sides claim"
                ))
        }
        func owner(_ kind: String, _ name: String) -> Owner? {
            Owner.Kind(rawValue: kind).map { Owner($0, name) }
        }
        let forms = "expected `vm|pod NAME ip ADDRESS pool POOL`, `vm NAME mac MAC` or `quarantine …`"
        if t[0] == "quarantine" {
            if t.count == 8, t[1] == "ip", t[3] == "pool", t[5] == "was", let was = owner(t[6], t[7]) {
                guard let a = Lexer.address(t[2]) else { return .failure(Problem(label: "`\(t[2])` is no address")) }
                return .success(.quarantined(Quarantined(value: .address(a, pool: t[4]), was: was, line: span)))
            }
            if t.count == 6, t[1] == "mac", t[3] == "was", let was = owner(t[4], t[5]) {
                guard let m = MACAddress(text: t[2]) else { return .failure(Problem(label: "`\(t[2])` is no MAC")) }
                return .success(.quarantined(Quarantined(value: .mac(m), was: was, line: span)))
            }
            return .failure(Problem(label: forms))
        }
        guard t.count >= 2, let who = owner(t[0], t[1]) else { return .failure(Problem(label: forms)) }
        if t.count == 6, t[2] == "ip", t[4] == "pool" {
            guard let a = Lexer.address(t[3]) else { return .failure(Problem(label: "`\(t[3])` is no address")) }
            return .success(.address(Address(owner: who, address: a, pool: t[5], line: span)))
        }
        if t.count == 4, t[2] == "mac", who.kind == .vm {
            guard let m = MACAddress(text: t[3]) else { return .failure(Problem(label: "`\(t[3])` is no MAC")) }
            return .success(.mac(MAC(owner: who, mac: m, line: span)))
        }
        return .failure(Problem(label: forms))
    }

    /// Splits a line at blanks; a token in double quotes may hold blanks
    /// and `\"` or `\\`.
    static func tokenize(_ bytes: [UInt8], _ range: Range<Int>) -> [(text: String, range: Range<Int>)] {
        var out: [(String, Range<Int>)] = []
        var i = range.lowerBound
        let end = range.upperBound
        while i < end {
            let b = bytes[i]
            if b == 0x20 || b == 0x09 {
                i += 1
                continue
            }
            let start = i
            if b == UInt8(ascii: "\"") {
                var text: [UInt8] = []
                i += 1
                while i < end, bytes[i] != UInt8(ascii: "\"") {
                    if bytes[i] == UInt8(ascii: "\\"), i + 1 < end { i += 1 }
                    text.append(bytes[i])
                    i += 1
                }
                i = min(i + 1, end)
                out.append((String(decoding: text, as: UTF8.self), start..<i))
            } else {
                while i < end, bytes[i] != 0x20, bytes[i] != 0x09 { i += 1 }
                out.append((String(decoding: bytes[start..<i], as: UTF8.self), start..<i))
            }
        }
        return out
    }
}
