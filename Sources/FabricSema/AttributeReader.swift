import FabricBase
import FabricDiagnostics
import FabricSyntax

/// Reads an instance's attributes as the types the schema gives them,
/// reporting wrong types and out-of-range values at the value's span.
/// A nil result means "absent or already reported".
struct AttributeReader {
    var diagnostics: [Diagnostic] = []

    mutating func report(_ d: Diagnostic) { diagnostics.append(d) }

    func mismatch(_ v: Located<Value>, expected: String, keyword: String) -> Diagnostic {
        var d = Diagnostic(.typeMismatch, at: v.span, "`\(keyword)` takes \(expected), found \(v.value.kindName)")
            .labelled("expected \(expected)")
        if case .address(let a) = v.value, expected.contains("prefix") {
            d = d.help("a prefix has a length: `\(a)/\(a.isV4 ? 24 : 64)`")
        } else if case .prefix(let p) = v.value, expected.contains("address") {
            d = d.help("an address has no length: `\(p.network)`")
        }
        return d
    }

    /// Every value of every occurrence of `name` (lists and repeats).
    func values(_ i: Instance, _ name: String) -> [Located<Value>] {
        i.all(name).flatMap { $0.values.compactMap { $0 } }
    }

    func first(_ i: Instance, _ name: String) -> Located<Value>? { i.firstValue(name) }

    mutating func integer(_ i: Instance, _ name: String, _ range: ClosedRange<Int64>, what: String) -> Located<Int>? {
        guard let v = first(i, name) else { return nil }
        guard case .integer(let n) = v.value else {
            report(mismatch(v, expected: "an integer", keyword: name))
            return nil
        }
        guard range.contains(n) else {
            report(
                Diagnostic(.numberRange, at: v.span, "\(what) \(n) is out of range")
                    .labelled("must be \(range.lowerBound) to \(range.upperBound)"))
            return nil
        }
        return Located(Int(n), v.span)
    }

    mutating func mtu(_ i: Instance, _ name: String = "mtu") -> Located<Int>? {
        integer(i, name, 68...65535, what: "MTU")
    }

    /// A string; control characters are refused (no target carries them).
    mutating func string(_ i: Instance, _ name: String) -> Located<String>? {
        guard let v = first(i, name) else { return nil }
        guard case .string(let s) = v.value else {
            report(mismatch(v, expected: "a string", keyword: name).help("quote it: \"\(v.value.text)\""))
            return nil
        }
        return checkControl(Located(s, v.span))
    }

    mutating func checkControl(_ s: Located<String>) -> Located<String>? {
        // Printable ASCII, the common case, has nothing to look for.
        if s.value.allUTF8({ $0 >= 0x20 && $0 < 0x7F }) { return s }
        if let c = s.value.unicodeScalars.first(where: {
            $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value) || $0 == "\u{2028}"
                || $0 == "\u{2029}"
        }) {
            report(
                Diagnostic(.controlInString, at: s.span, "value holds a control character (U+\(hex4(c.value)))")
                    .labelled("control character")
                    .help("remove the escape; names and descriptions are one line of text"))
            return nil
        }
        return s
    }

    /// A bare name or a string.
    func nameValue(_ v: Located<Value>) -> Located<String>? {
        switch v.value {
        case .word(let w): return Located(w, v.span)
        case .string(let s): return Located(s, v.span)
        default: return nil
        }
    }

    mutating func name(_ i: Instance, _ name: String) -> Located<String>? {
        guard let v = first(i, name) else { return nil }
        guard let n = nameValue(v) else {
            report(mismatch(v, expected: "a name", keyword: name))
            return nil
        }
        return checkControl(n)
    }

    mutating func names(_ i: Instance, _ name: String) -> [Located<String>] {
        values(i, name).compactMap { v in
            guard let n = nameValue(v) else {
                report(mismatch(v, expected: "a name", keyword: name))
                return nil
            }
            return checkControl(n)
        }
    }

    mutating func address(_ i: Instance, _ name: String) -> Located<IPAddress>? {
        guard let v = first(i, name) else { return nil }
        return address(v, keyword: name)
    }

    mutating func address(_ v: Located<Value>, keyword: String) -> Located<IPAddress>? {
        guard case .address(let a) = v.value else {
            report(mismatch(v, expected: "an address", keyword: keyword))
            return nil
        }
        return Located(a, v.span)
    }

    mutating func addresses(_ i: Instance, _ name: String) -> [Located<IPAddress>] {
        values(i, name).compactMap { address($0, keyword: name) }
    }

    mutating func ipv4(_ i: Instance, _ name: String) -> Located<IPv4Address>? {
        guard let a = address(i, name) else { return nil }
        guard case .v4(let v4) = a.value else {
            report(
                Diagnostic(.typeMismatch, at: a.span, "`\(name)` takes an IPv4 address, found an IPv6 address")
                    .labelled("expected IPv4")
                    .note("BGP router and cluster IDs are 32-bit numbers written as IPv4 addresses"))
            return nil
        }
        return Located(v4, a.span)
    }

    mutating func prefix(_ i: Instance, _ name: String) -> Located<IPPrefix>? {
        guard let v = first(i, name) else { return nil }
        return prefix(v, keyword: name)
    }

    mutating func prefix(_ v: Located<Value>, keyword: String) -> Located<IPPrefix>? {
        guard case .prefix(let p) = v.value else {
            report(mismatch(v, expected: "a prefix", keyword: keyword))
            return nil
        }
        return Located(p, v.span)
    }

    mutating func prefixes(_ i: Instance, _ name: String) -> [Located<IPPrefix>] {
        values(i, name).compactMap { prefix($0, keyword: name) }
    }

    mutating func addressRanges(_ i: Instance, _ name: String) -> [Located<AddressRange>] {
        values(i, name).compactMap { v in
            if case .prefix(let p) = v.value, let last = p.network.withNumber(p.last) {
                return Located(AddressRange(first: p.network, last: last, cidr: p), v.span)
            }
            guard case .range(.address(let a), .address(let b)) = v.value else {
                report(mismatch(v, expected: "an address range `first..last` or a prefix", keyword: name))
                return nil
            }
            guard a.bits == b.bits else {
                report(
                    Diagnostic(
                        .familyMismatch, at: v.span,
                        "range from an \(a.isV4 ? "IPv4" : "IPv6") to an \(b.isV4 ? "IPv4" : "IPv6") address"
                    )
                    .labelled("mixed families"))
                return nil
            }
            guard a.number <= b.number else {
                report(
                    Diagnostic(.rangeReversed, at: v.span, "range \(a)..\(b) runs backwards")
                        .labelled("start is after end")
                        .help("write `\(b)..\(a)`"))
                return nil
            }
            return Located(AddressRange(first: a, last: b), v.span)
        }
    }

    static let reservedASNs: Set<UInt32> = [23456, 65535, 4_294_967_295]

    mutating func asn(_ i: Instance, _ name: String = "asn") -> Located<UInt32>? {
        guard let v = first(i, name) else { return nil }
        let n: Int64
        switch v.value {
        case .integer(let x): n = x
        case .asdot(let x): n = Int64(x)
        default:
            report(mismatch(v, expected: "an AS number", keyword: name))
            return nil
        }
        guard n >= 1, n <= 4_294_967_295 else {
            report(
                Diagnostic(.asnRange, at: v.span, "AS number \(n) is out of range")
                    .labelled("must be 1 to 4294967295"))
            return nil
        }
        if AttributeReader.reservedASNs.contains(UInt32(n)) {
            report(
                Diagnostic(.reservedASN, at: v.span, "AS \(n) is reserved")
                    .labelled(n == 23456 ? "AS_TRANS (RFC 6793)" : "reserved (RFC 7300)")
                    .help("use a private AS (64512–65534, 4200000000–4294967294) or your own"))
        } else if (64496...64511).contains(n) || (65536...65551).contains(n) {
            report(
                Diagnostic(.reservedASN, at: v.span, "AS \(n) is reserved for documentation")
                    .labelled("documentation AS (RFC 5398)")
                    .help("use a private AS (64512–65534, 4200000000–4294967294) or your own"))
        }
        return Located(UInt32(n), v.span)
    }

    /// A VLAN ID; 0 (untagged) only where `allowUntagged`. A bare name is a
    /// `vlan` declaration, returned for the caller to resolve.
    mutating func vlan(_ i: Instance, _ name: String, allowUntagged: Bool, trunkHint: Bool = false) -> (
        id: Located<Int>?, reference: Located<String>?
    ) {
        guard let v = first(i, name) else { return (nil, nil) }
        switch v.value {
        case .integer(let n):
            return (checkVLAN(n, at: v.span, allowUntagged: allowUntagged, trunkHint: trunkHint), nil)
        case .word, .string:
            return (nil, nameValue(v))
        default:
            report(mismatch(v, expected: "a VLAN ID or a `vlan` name", keyword: name))
            return (nil, nil)
        }
    }

    mutating func checkVLAN(_ n: Int64, at span: Span, allowUntagged: Bool, trunkHint: Bool = false) -> Located<Int>? {
        if n == 0, allowUntagged { return Located(0, span) }
        guard (1...4094).contains(n) else {
            var d = Diagnostic(.vlanRange, at: span, "VLAN \(n) is out of range")
                .labelled(allowUntagged ? "must be 0 (untagged) or 1 to 4094" : "must be 1 to 4094")
            if n == 4095 {
                d = d.help(
                    trunkHint
                        ? "4095 is the ESXi trunk: write `trunk;` instead of a VLAN"
                        : "4095 is reserved; only an ESXi trunk port group uses it, written `trunk;`")
            } else if n == 0 {
                d = d.note("VLAN 0 (untagged) is not accepted here")
            }
            report(d)
            return nil
        }
        return Located(Int(n), span)
    }

    /// VLANs and VLAN ranges (`100..199`), each checked; a name is a `vlan`
    /// declaration, looked up with `resolve`.
    mutating func vlanRanges(_ i: Instance, _ name: String, resolve: (Located<String>) -> Int? = { _ in nil })
        -> [Located<ClosedRange<Int>>]
    {
        values(i, name).compactMap { v in
            switch v.value {
            case .word(let w), .string(let w):
                return resolve(Located(w, v.span)).map { Located($0...$0, v.span) }
            case .integer(let n):
                return checkVLAN(n, at: v.span, allowUntagged: false).map { Located($0.value...$0.value, v.span) }
            case .range(.integer(let a), .integer(let b)):
                guard let lo = checkVLAN(a, at: v.span, allowUntagged: false),
                    let hi = checkVLAN(b, at: v.span, allowUntagged: false)
                else { return nil }
                guard lo.value <= hi.value else {
                    report(
                        Diagnostic(.vlanRange, at: v.span, "VLAN range \(a)..\(b) runs backwards")
                            .labelled("start is after end")
                            .help("write `\(b)..\(a)`"))
                    return nil
                }
                return Located(lo.value...hi.value, v.span)
            default:
                report(mismatch(v, expected: "a VLAN or VLAN range", keyword: name))
                return nil
            }
        }
    }

    mutating func mac(_ i: Instance, _ name: String) -> Located<MACAddress>? {
        guard let v = first(i, name) else { return nil }
        guard case .mac(let m) = v.value else {
            report(mismatch(v, expected: "a MAC address", keyword: name))
            return nil
        }
        return Located(m, v.span)
    }

    /// A duration in whole seconds within `range`.
    mutating func seconds(_ i: Instance, _ name: String, _ range: ClosedRange<Int64>, allowZero: Bool = false)
        -> Located<Int>?
    {
        guard let v = first(i, name) else { return nil }
        guard case .duration(let ms) = v.value else {
            report(mismatch(v, expected: "a duration such as `90s`", keyword: name))
            return nil
        }
        guard ms % 1000 == 0 else {
            report(
                Diagnostic(.numberRange, at: v.span, "`\(name)` must be whole seconds, found \(v.value.text)")
                    .labelled("not whole seconds"))
            return nil
        }
        guard (allowZero && ms == 0) || range.contains(ms / 1000) else {
            report(
                Diagnostic(.numberRange, at: v.span, "`\(name)` \(v.value.text) is out of range")
                    .labelled(
                        "must be whole seconds, \(allowZero ? "0 or " : "")\(range.lowerBound)s to \(range.upperBound)s"
                    ))
            return nil
        }
        return Located(Int(ms / 1000), v.span)
    }

    /// One of the words of a keyword attribute, as an enum.
    mutating func keyword<T: RawRepresentable>(_ i: Instance, _ name: String, _: T.Type) -> T?
    where T.RawValue == String {
        guard let v = first(i, name) else { return nil }
        let spec = LanguageSchema.block(i.keyword)?.attribute(name)
        guard case .keyword(let words)? = spec?.type else { return nil }
        guard case .word(let w) = v.value else {
            report(mismatch(v, expected: words.map { "`\($0)`" }.joined(separator: " or "), keyword: name))
            return nil
        }
        guard words.contains(w), let value = T(rawValue: w) else {
            var d = Diagnostic(.unknownValue, at: v.span, "unknown `\(name)` value `\(w)`")
            if let near = Spelling.suggest(w, among: words) {
                d = d.labelled("did you mean `\(near)`?")
            } else {
                d = d.labelled("not a `\(name)` value")
            }
            report(d.note("`\(name)` takes " + words.map { "`\($0)`" }.joined(separator: ", ")))
            return nil
        }
        return value
    }
}

/// `00E9`: a code point as four or more upper-case hex digits.
func hex4(_ value: UInt32) -> String {
    let hex = String(value, radix: 16, uppercase: true)
    return String(repeating: "0", count: max(0, 4 - hex.count)) + hex
}
