import FabricBase
import FabricDiagnostics

// Numbers, dotted literals (asdot, IPv4, prefixes), IPv6 and MAC addresses.
extension Lexer {
    /// The byte range of an IPv6 or MAC candidate starting at `k`: a run of
    /// hex digits, `:` and `.` with `::` in it or at least two colons, not
    /// ending in a lone `:`, and not glued to a following name character.
    func addressRun(from k: Int) -> Range<Int>? {
        var j = k
        var colons = 0
        var double = false
        while j < end {
            let c = bytes[j]
            if c == UInt8(ascii: ":") {
                colons += 1
                if at(j + 1) == UInt8(ascii: ":") { double = true }
            } else if c == UInt8(ascii: ".") {
                if at(j + 1) == UInt8(ascii: ".") { break }
            } else if !Lexer.isHex(c) {
                break
            }
            j += 1
        }
        guard colons > 0, double || colons >= 2 else { return nil }
        if bytes[j - 1] == UInt8(ascii: ":"), !(j - 2 >= k && bytes[j - 2] == UInt8(ascii: ":")) { return nil }
        // `52:54:00:12:34:5g`: still one (malformed) address, not a cascade.
        while j < end,
            Lexer.isLetter(bytes[j]) || Lexer.isDigit(bytes[j]) || bytes[j] == 0x5F || bytes[j] == UInt8(ascii: ":")
        { j += 1 }
        return k..<j
    }

    mutating func colonAddress(_ run: Range<Int>) {
        i = run.upperBound
        // One pass over the bytes: this runs for every MAC and IPv6 literal.
        var colons = 0
        var hasDouble = false
        var hasDot = false
        var allPairs = true
        var groupLength = 0
        var bad: UInt8?
        var mac: UInt64 = 0
        for k in run {
            let c = bytes[k]
            if c == UInt8(ascii: ":") {
                colons += 1
                if k + 1 < run.upperBound, bytes[k + 1] == UInt8(ascii: ":") { hasDouble = true }
                if groupLength != 2 { allPairs = false }
                groupLength = 0
                continue
            }
            groupLength += 1
            if c == UInt8(ascii: ".") {
                hasDot = true
            } else if let v = Lexer.hexValue(c) {
                mac = mac << 4 | UInt64(v)
            } else if bad == nil {
                bad = c
            }
        }
        if groupLength != 2 { allPairs = false }
        // Colon-separated pairs of hex digits are a MAC address, or a
        // mistyped one; an IPv6 address would need 8 groups or `::`.
        // Five or six colon-separated groups without `::` cannot be IPv6,
        // so they are a MAC address or a mistyped one.
        let looksLikeMAC = !hasDouble && !hasDot && (4...5).contains(colons)
        if looksLikeMAC, bad == nil, colons == 5, allPairs {
            emit(.literal, run.lowerBound, i, .literal(.mac(MACAddress(mac))))
            return
        }
        let text = String(decoding: bytes[run], as: UTF8.self)
        if let bad {
            report(
                Diagnostic(
                    looksLikeMAC ? .malformedMAC : .malformedIPv6, at: span(run.lowerBound, i),
                    "malformed \(looksLikeMAC ? "MAC" : "IPv6") address `\(text)`"
                )
                .labelled("`\(Unicode.Scalar(bad))` is not a hexadecimal digit"))
            skipPrefixSuffix()
            emit(.literal, run.lowerBound, i, .poisonedLiteral)
            return
        }
        if looksLikeMAC {
            report(
                Diagnostic(.malformedMAC, at: span(run.lowerBound, i), "malformed MAC address `\(text)`")
                    .labelled(
                        colons == 5
                            ? "each of the six parts needs two hex digits"
                            : "\(colons + 1) parts; a MAC address has six"
                    )
                    .help("write it as `52:54:00:12:34:56`"))
            emit(.literal, run.lowerBound, i, .poisonedLiteral)
            return
        }
        switch Lexer.parseIPv6(text) {
        case .success(let value):
            let address = IPv6Address(value)
            if at(i) == UInt8(ascii: "/"), Lexer.isDigit(at(i + 1)) {
                prefixLength(start: run.lowerBound, bits: 128) { len in
                    let mask: UInt128 = len == 0 ? 0 : ~UInt128(0) << (128 - UInt128(len))
                    if value & ~mask != 0 {
                        return .failure(PrefixHostBits(IPv6Address(value & mask).description + "/\(len)"))
                    }
                    return .success(.prefix6(address, length: UInt8(len)))
                }
            } else {
                emit(.literal, run.lowerBound, i, .literal(.ipv6(address)))
            }
        case .failure(let reason):
            report(
                Diagnostic(.malformedIPv6, at: span(run.lowerBound, i), "malformed IPv6 address `\(text)`")
                    .labelled(reason))
            skipPrefixSuffix()
            emit(.literal, run.lowerBound, i, .poisonedLiteral)
        }
    }

    /// After a malformed address, also swallow its `/len` so one mistake
    /// gives one diagnostic.
    mutating func skipPrefixSuffix() {
        if at(i) == UInt8(ascii: "/"), Lexer.isDigit(at(i + 1)) {
            i += 1
            while i < end, Lexer.isDigit(bytes[i]) { i += 1 }
        }
    }

    /// Lexes `/len` after an address; `make` builds the literal or returns
    /// the network for a host-bits error.
    mutating func prefixLength(start: Int, bits: Int, _ make: (Int) -> Result<LiteralValue, PrefixHostBits>) {
        let slash = i
        i += 1
        let digitsStart = i
        while i < end, Lexer.isDigit(bytes[i]) { i += 1 }
        let digits = String(decoding: bytes[digitsStart..<i], as: UTF8.self)
        if digits.count > 1, digits.hasPrefix("0") {
            report(
                Diagnostic(.prefixLength, at: span(slash, i), "prefix length /\(digits) has a leading zero")
                    .labelled("leading zero")
                    .help("write `/\(Int(digits.drop { $0 == "0" }) ?? 0)`"))
            emit(.literal, start, i, .poisonedLiteral)
            return
        }
        guard digits.count <= 3, let len = Int(digits), len <= bits else {
            report(
                Diagnostic(.prefixLength, at: span(slash, i), "prefix length /\(digits) is out of range")
                    .labelled("must be 0 to \(bits)")
                    .note("an \(bits == 32 ? "IPv4" : "IPv6") prefix has at most \(bits) network bits"))
            emit(.literal, start, i, .poisonedLiteral)
            return
        }
        switch make(len) {
        case .success(let lit):
            emit(.literal, start, i, .literal(lit))
        case .failure(let network):
            let text = String(decoding: bytes[start..<i], as: UTF8.self)
            report(
                Diagnostic(.prefixHostBits, at: span(start, i), "prefix `\(text)` has host bits set")
                    .labelled("bits after /\(len) must be zero")
                    .help("the network is `\(network.text)`; an address on it is written without `/\(len)`"))
            emit(.literal, start, i, .poisonedLiteral)
        }
    }

    struct PrefixHostBits: Error {
        let text: String
        init(_ text: String) { self.text = text }
    }

    /// Integers, durations, asdot AS numbers, IPv4 addresses and prefixes.
    mutating func number() {
        let a = i
        var parts: [Range<Int>] = []
        var p = i
        while i < end, Lexer.isDigit(bytes[i]) { i += 1 }
        parts.append(p..<i)
        while at(i) == UInt8(ascii: "."), Lexer.isDigit(at(i + 1)) {
            i += 1
            p = i
            while i < end, Lexer.isDigit(bytes[i]) { i += 1 }
            parts.append(p..<i)
        }
        // A name character glued to the digits: a unit, or a mistake.
        if i < end, Lexer.isLetter(bytes[i]) || bytes[i] == 0x5F {
            let unitStart = i
            while i < end, Lexer.isIdentChar(bytes[i]) { i += 1 }
            let unit = String(decoding: bytes[unitStart..<i], as: UTF8.self)
            let factor: Int64? =
                switch unit {
                case "ms": 1
                case "s": 1000
                case "m": 60_000
                case "h": 3_600_000
                default: nil
                }
            if parts.count == 1, let factor, hasLeadingZero(parts[0]) {
                report(
                    Diagnostic(.malformedDuration, at: span(a, i), "duration `\(text(a, i))` has a leading zero")
                        .labelled("leading zero")
                        .help(
                            "write `\(Int64(text(parts[0].lowerBound, parts[0].upperBound).drop { $0 == "0" }) ?? 0)\(unit)`"
                        ))
                emit(.literal, a, i, .poisonedLiteral)
                return
            }
            if parts.count == 1, let factor {
                if let n = integerValue(parts[0]),
                    case (let ms, let overflow) = n.multipliedReportingOverflow(by: factor), !overflow
                {
                    emit(.literal, a, i, .literal(.duration(milliseconds: ms)))
                } else {
                    report(Diagnostic(.malformedDuration, at: span(a, i), "duration `\(text(a, i))` is too large"))
                    emit(.literal, a, i, .poisonedLiteral)
                }
                return
            }
            let whole = text(a, i)
            if parts.count <= 2, Lexer.durationSpellings.contains(unit.lowercased()) || factor != nil {
                report(
                    Diagnostic(.malformedDuration, at: span(a, i), "malformed duration `\(whole)`")
                        .labelled(parts.count > 1 ? "durations are whole numbers" : "unknown unit `\(unit)`")
                        .help("write a whole number and one of the units ms, s, m, h: `90s`, `1500ms`"))
                emit(.literal, a, i, .poisonedLiteral)
                return
            }
            var d = Diagnostic(.malformedNumber, at: span(a, i), "`\(whole)` is not a number")
                .labelled("digits followed by `\(unit)`")
            if parts.count == 1 {
                d = d.help("names start with a letter; a name that starts with a digit must be a string: \"\(whole)\"")
            }
            report(d)
            emit(.literal, a, i, .poisonedLiteral)
            return
        }
        switch parts.count {
        case 1:
            if bytes[a] == UInt8(ascii: "0"), i - a > 1 {
                report(
                    Diagnostic(.malformedNumber, at: span(a, i), "integer `\(text(a, i))` has a leading zero")
                        .labelled("leading zero")
                        .help(
                            "write `\(Int64(text(a, i).drop { $0 == "0" }) ?? 0)`; leading zeros read as octal in some tools, so fabricc refuses them"
                        ))
                emit(.literal, a, i, .poisonedLiteral)
            } else if let v = integerValue(parts[0]) {
                emit(.literal, a, i, .literal(.integer(v)))
            } else {
                report(
                    Diagnostic(.malformedNumber, at: span(a, i), "integer `\(text(a, i))` is too large")
                        .labelled("larger than 9223372036854775807"))
                emit(.literal, a, i, .poisonedLiteral)
            }
        case 2:
            let hi = integerValue(parts[0]) ?? Int64.max
            let lo = integerValue(parts[1]) ?? Int64.max
            if hi > 65535 || lo > 65535 || hasLeadingZero(parts[0]) || hasLeadingZero(parts[1]) {
                report(
                    Diagnostic(.malformedASDot, at: span(a, i), "malformed asdot AS number `\(text(a, i))`")
                        .labelled("each half must be 0 to 65535, without leading zeros"))
                emit(.literal, a, i, .poisonedLiteral)
            } else {
                emit(.literal, a, i, .literal(.asdot(UInt32(hi) << 16 | UInt32(lo))))
            }
        case 4:
            var value: UInt32 = 0
            for part in parts {
                let octet = integerValue(part) ?? Int64.max
                if octet > 255 || hasLeadingZero(part) {
                    let bad = text(part.lowerBound, part.upperBound)
                    report(
                        Diagnostic(
                            .malformedIPv4, at: span(part.lowerBound, part.upperBound),
                            "malformed IPv4 address `\(text(a, i))`"
                        )
                        .labelled(octet > 255 ? "octet \(bad) is greater than 255" : "octet \(bad) has a leading zero"))
                    skipPrefixSuffix()
                    emit(.literal, a, i, .poisonedLiteral)
                    return
                }
                value = value << 8 | UInt32(octet)
            }
            if at(i) == UInt8(ascii: "/"), Lexer.isDigit(at(i + 1)) {
                prefixLength(start: a, bits: 32) { len in
                    let mask: UInt32 = len == 0 ? 0 : ~UInt32(0) << UInt32(32 - len)
                    if value & ~mask != 0 { return .failure(PrefixHostBits("\(IPv4Address(value & mask))/\(len)")) }
                    return .success(.prefix4(IPv4Address(value), length: UInt8(len)))
                }
            } else {
                emit(.literal, a, i, .literal(.ipv4(IPv4Address(value))))
            }
        default:
            let d = Diagnostic(.dottedNumber, at: span(a, i), "malformed dotted number `\(text(a, i))`")
                .labelled("\(parts.count) parts")
            report(
                parts.count == 3
                    ? d.help("an IPv4 address has four parts: `\(text(a, i)).0`?")
                    : d.note("an IPv4 address has four parts, an asdot AS number two"))
            skipPrefixSuffix()
            emit(.literal, a, i, .poisonedLiteral)
        }
    }

    /// Unit spellings people write for durations that fabricc does not take.
    static let durationSpellings: Set<String> = [
        "sec", "secs", "second", "seconds", "min", "mins", "minute", "minutes", "hr", "hrs", "hour", "hours",
        "d", "day", "days", "us", "µs", "ns", "msec", "msecs", "millis", "ms", "s", "m", "h", "S", "M", "H",
    ]

    func text(_ a: Int, _ b: Int) -> String { String(decoding: bytes[a..<b], as: UTF8.self) }

    func hasLeadingZero(_ r: Range<Int>) -> Bool { r.count > 1 && bytes[r.lowerBound] == UInt8(ascii: "0") }

    func integerValue(_ r: Range<Int>) -> Int64? {
        guard r.count <= 19 else { return nil }
        var v: Int64 = 0
        for k in r {
            let (m, o1) = v.multipliedReportingOverflow(by: 10)
            let (s, o2) = m.addingReportingOverflow(Int64(bytes[k] - 0x30))
            if o1 || o2 { return nil }
            v = s
        }
        return v
    }

    /// Parses the text of an IPv6 address; the failure is a reason in words.
    static func parseIPv6(_ text: String) -> Result<UInt128, IPv6Error> {
        let halves = text.components(separatedBy: "::")
        guard halves.count <= 2 else { return .failure(IPv6Error("`::` may appear only once")) }
        func groups(_ s: String, allowV4: Bool) -> Result<[UInt16], IPv6Error> {
            if s.isEmpty { return .success([]) }
            var out: [UInt16] = []
            let parts = s.split(separator: ":", omittingEmptySubsequences: false)
            for (n, part) in parts.enumerated() {
                if part.contains(".") {
                    guard allowV4, n == parts.count - 1 else {
                        return .failure(IPv6Error("an embedded IPv4 address must come last"))
                    }
                    let octets = part.split(separator: ".", omittingEmptySubsequences: false)
                    guard octets.count == 4,
                        octets.allSatisfy({
                            !$0.isEmpty && $0.count <= 3 && (UInt16($0) ?? 256) <= 255
                                && !($0.count > 1 && $0.first == "0")
                        })
                    else {
                        return .failure(IPv6Error("embedded IPv4 address `\(part)` is malformed"))
                    }
                    let v = octets.map { UInt16($0)! }
                    out.append(v[0] << 8 | v[1])
                    out.append(v[2] << 8 | v[3])
                    continue
                }
                guard !part.isEmpty else { return .failure(IPv6Error("empty group")) }
                guard part.count <= 4, let g = UInt16(part, radix: 16) else {
                    return .failure(IPv6Error("group `\(part)` has more than four hex digits"))
                }
                out.append(g)
            }
            return .success(out)
        }
        let head: [UInt16]
        let tail: [UInt16]
        switch groups(halves[0], allowV4: halves.count == 1) {
        case .success(let g): head = g
        case .failure(let e): return .failure(e)
        }
        if halves.count == 2 {
            switch groups(halves[1], allowV4: true) {
            case .success(let g): tail = g
            case .failure(let e): return .failure(e)
            }
            guard head.count + tail.count <= 7 else {
                return .failure(IPv6Error("too many groups around `::`"))
            }
        } else {
            tail = []
            guard head.count == 8 else {
                return .failure(IPv6Error("\(head.count) groups; an IPv6 address has 8, or uses `::`"))
            }
        }
        let all = head + [UInt16](repeating: 0, count: 8 - head.count - tail.count) + tail
        var value: UInt128 = 0
        for g in all { value = value << 16 | UInt128(g) }
        return .success(value)
    }

    struct IPv6Error: Error, CustomStringConvertible {
        let description: String
        init(_ d: String) { description = d }
    }
}

extension Diagnostic {
    func labelled(_ e: Lexer.IPv6Error) -> Diagnostic { labelled(e.description) }
}

extension Lexer {
    /// An address as the lexer reads one (`10.0.0.1`, `2001:db8::1`), for
    /// files fabricc writes itself; nil when it is not one.
    public static func address(_ text: String) -> IPAddress? {
        if text.contains(":") {
            guard case .success(let v) = parseIPv6(text) else { return nil }
            return .v6(IPv6Address(v))
        }
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        guard parts.count == 4 else { return nil }
        var v: UInt32 = 0
        for p in parts {
            guard !p.isEmpty, p.count <= 3, p.allSatisfy(\.isASCII), let b = UInt8(p) else { return nil }
            if p.count > 1, p.first == "0" { return nil }
            v = v << 8 | UInt32(b)
        }
        return .v4(IPv4Address(v))
    }
}
