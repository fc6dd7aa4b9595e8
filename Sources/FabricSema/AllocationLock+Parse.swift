import FabricBase
import FabricDiagnostics
import FabricSyntax

extension AllocationLock {
    /// Reads a lock file. A line that is not one fabricc writes (a merge
    /// conflict, a typo) is FAB4018 at that line; the caller allocates
    /// nothing while any is left, so no allocation moves because a line
    /// could not be read.
    public static func parse(_ file: SourceFile) -> (AllocationLock, [Diagnostic]) {
        var lock = AllocationLock()
        var diagnostics: [Diagnostic] = []
        let bytes = file.bytes
        for index in 0..<file.lineCount {
            let range = file.lineRange(index)
            let tokens = tokenize(bytes, range)
            guard let first = tokens.first, !first.text.hasPrefix("#") else { continue }
            let span = Span(file: file.id, start: UInt32(range.lowerBound), end: UInt32(range.upperBound))
            switch parseLine(tokens.map(\.text), span: span) {
            case .success(let entry):
                switch entry {
                case .address(let a): lock.addresses.append(a)
                case .mac(let m): lock.macs.append(m)
                case .quarantined(let q): lock.quarantined.append(q)
                }
            case .failure(let problem):
                var d = Diagnostic(.lockLine, at: span, "unreadable line in the allocation lock").labelled(
                    problem.label)
                if let help = problem.help { d = d.help(help) }
                diagnostics.append(d)
            }
        }
        return (lock, diagnostics)
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
