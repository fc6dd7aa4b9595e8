import FabricDiagnostics

// String literals: escapes, `${…}` interpolation, and what may not appear.
extension Lexer {
    mutating func string() {
        let a = i
        i += 1
        // Printable ASCII up to the closing quote, with no `\` or `$`: the
        // text is the bytes as they are (what the loop below would build).
        var j = i
        while j < end, bytes[j] >= 0x20, bytes[j] < 0x7F, bytes[j] != UInt8(ascii: "\""),
            bytes[j] != UInt8(ascii: "\\"), bytes[j] != UInt8(ascii: "$")
        {
            j += 1
        }
        if j < end, bytes[j] == UInt8(ascii: "\"") {
            let text = String(decoding: bytes[i..<j], as: UTF8.self)
            i = j + 1
            emit(.string, a, i, .plainString(text))
            return
        }
        var pieces: [StringPiece] = []
        var buffer: [UInt8] = []
        var ok = true

        func flush() {
            if !buffer.isEmpty {
                pieces.append(.text(String(decoding: buffer, as: UTF8.self)))
                buffer.removeAll(keepingCapacity: true)
            }
        }

        while true {
            guard i < end, bytes[i] != 0x0A, !(bytes[i] == 0x0D && at(i + 1) == 0x0A) else {
                var d = Diagnostic(.unterminatedString, at: span(a, i), "unterminated string")
                    .labelled("string starts here")
                    .help("close it with `\"` on the same line; a string cannot span lines")
                if i > a + 1, bytes[i - 1] == UInt8(ascii: "\\") {
                    d = d.help(
                        "a string cannot continue on the next line: `\\` at the end of a line does not join lines; write it on one line or use `\\n`"
                    )
                    swallowContinuation()
                }
                report(d)
                ok = false
                break
            }
            let c = bytes[i]
            if c == UInt8(ascii: "\"") {
                i += 1
                break
            }
            if c == UInt8(ascii: "\\") {
                if i + 1 >= end || at(i + 1) == 0x0A || (at(i + 1) == 0x0D && at(i + 2) == 0x0A) {
                    i += 1
                    continue
                }
                if !escape(into: &buffer) { ok = false }
                continue
            }
            if c == UInt8(ascii: "$"), at(i + 1) == UInt8(ascii: "{") {
                flush()
                if let piece = interpolation() {
                    pieces.append(piece)
                } else {
                    ok = false
                    // A closed but malformed `${…}` leaves the rest of the
                    // string to scan. An unclosed one stopped at the first
                    // quote after it (or the line's end): that ends the string.
                    if !interpolationUnclosed { continue }
                    if i < end, bytes[i] == UInt8(ascii: "\"") { i += 1 }
                    if i > a,
                        bytes[i - 1] == UInt8(ascii: "\\")
                            || (i > a + 1 && bytes[i - 1] == 0x0D && bytes[i - 2] == UInt8(ascii: "\\"))
                    {
                        swallowContinuation()
                    }
                    break
                }
                continue
            }
            if c < 0x20 || c == 0x7F {
                let name =
                    c == 0x09 ? "a tab" : c == 0x0D ? "a carriage return" : "control character U+\(String(format2: c))"
                report(
                    Diagnostic(.controlCharacter, at: span(i, i + 1), "\(name) in a string")
                        .labelled("raw control character")
                        .help(c == 0x09 ? "write `\\t` if a tab is really meant" : "remove it"))
                ok = false
                i += 1
                continue
            }
            if c >= 0x80 {
                if let n = utf8Length(at: i) {
                    buffer.append(contentsOf: bytes[i..<(i + n)])
                    i += n
                } else {
                    reportInvalidUTF8(span(i, i + 1))
                    ok = false
                    i += 1
                }
                continue
            }
            buffer.append(c)
            i += 1
        }
        flush()
        if pieces.isEmpty { pieces.append(.text("")) }
        emit(.string, a, i, ok ? .string(pieces) : .poisonedLiteral)
    }

    /// `"abc \` then more text and a `"` on the next line is an attempt at
    /// continuing the string: the next line, through its first quote, goes
    /// with the broken string, so the attempt is one error. `i` is at the
    /// line break.
    mutating func swallowContinuation() {
        var j = i + (i < end && bytes[i] == 0x0D ? 2 : 1)
        while j < end, bytes[j] != 0x0A, bytes[j] != UInt8(ascii: "\"") { j += 1 }
        if j < end, bytes[j] == UInt8(ascii: "\"") { i = j + 1 }
    }

    /// Handles one `\…` escape at `i`; false when it was invalid.
    mutating func escape(into buffer: inout [UInt8]) -> Bool {
        let a = i
        let e = at(i + 1)
        switch e {
        case UInt8(ascii: "n"): buffer.append(0x0A)
        case UInt8(ascii: "t"): buffer.append(0x09)
        case UInt8(ascii: "r"): buffer.append(0x0D)
        case UInt8(ascii: "\\"), UInt8(ascii: "\""), UInt8(ascii: "$"): buffer.append(e)
        case UInt8(ascii: "u"):
            var j = i + 2
            guard at(j) == UInt8(ascii: "{") else { return badEscape(a, a + 2, "`\\u` must be followed by `{hex}`") }
            j += 1
            let digitsStart = j
            while j < end, Lexer.isHex(bytes[j]), j - digitsStart < 8 { j += 1 }
            let digits = text(digitsStart, j)
            guard at(j) == UInt8(ascii: "}"), (1...6).contains(digits.count),
                let v = UInt32(digits, radix: 16), let scalar = Unicode.Scalar(v)
            else {
                let stop = at(j) == UInt8(ascii: "}") ? j + 1 : j
                return badEscape(a, stop, "`\\u{…}` needs 1 to 6 hex digits naming a Unicode scalar value")
            }
            buffer.append(contentsOf: Array(String(Character(scalar)).utf8))
            i = j + 1
            return true
        default:
            let width = e >= 0x80 ? (utf8Length(at: i + 1) ?? 1) : (i + 1 < end && e != 0x0A ? 1 : 0)
            return badEscape(
                a, i + 1 + width,
                width == 0 ? "`\\` at the end of the line" : "unknown escape `\(text(a, i + 1 + width))`")
        }
        i += 2
        return true
    }

    mutating func badEscape(_ a: Int, _ b: Int, _ label: String) -> Bool {
        report(
            Diagnostic(.invalidEscape, at: span(a, b), "invalid escape sequence in string")
                .labelled(label)
                .help("valid escapes: \\\\ \\\" \\n \\t \\r \\$ \\u{1F600}"))
        i = max(b, a + 1)
        return false
    }

    /// Scans `${expr}` or `${expr:width}` at `i` on one line; nested strings
    /// and braces are skipped so `${"}"}` works.
    mutating func interpolation() -> StringPiece? {
        let a = i
        var j = i + 2
        var depth = 1
        var inString = false
        while j < end, bytes[j] != 0x0A {
            let c = bytes[j]
            if inString {
                if c == UInt8(ascii: "\\"), j + 1 < end, bytes[j + 1] != 0x0A {
                    j += 2
                    continue
                }
                if c == UInt8(ascii: "\"") { inString = false }
            } else if c == UInt8(ascii: "\"") {
                inString = true
            } else if c == UInt8(ascii: "{") {
                depth += 1
            } else if c == UInt8(ascii: "}") {
                depth -= 1
                if depth == 0 { break }
            }
            j += 1
        }
        interpolationUnclosed = !(j < end && bytes[j] == UInt8(ascii: "}") && depth == 0)
        guard !interpolationUnclosed else {
            report(
                Diagnostic(.malformedInterpolation, at: span(a, a + 2), "unterminated interpolation")
                    .labelled("`${` is never closed on this line")
                    .help("close it with `}`, or write `\\$` for a literal dollar sign"))
            // Most likely `"kvm${i"`: the first quote ends the string. But a
            // quote right after `${` opens a nested string: then the rest of
            // the line belongs to this broken string.
            var k = a + 2
            while k < end, bytes[k] == 0x20 || bytes[k] == 0x09 { k += 1 }
            let nested = k < end && bytes[k] == UInt8(ascii: "\"")
            while k < end, bytes[k] != 0x0A, nested || bytes[k] != UInt8(ascii: "\"") { k += 1 }
            if nested, k > a, bytes[k - 1] == 0x0D { k -= 1 }
            i = k
            return nil
        }
        i = j + 1
        var exprEnd = j
        var width: Int?
        // `:digits` just before the brace is a zero-pad width.
        var k = j - 1
        while k > a + 2, Lexer.isDigit(bytes[k]) { k -= 1 }
        if k < j - 1, bytes[k] == UInt8(ascii: ":"), k > a + 2, bytes[k - 1] != UInt8(ascii: ":") {
            width = Int(text(k + 1, j))
            exprEnd = k
            if (width ?? 99) > 32 {
                report(
                    Diagnostic(.malformedInterpolation, at: span(k, j), "interpolation width is too large")
                        .labelled("at most 32"))
                return nil
            }
        }
        let inner = text(a + 2, exprEnd)
        if inner.contains("#") || inner.contains("//") || inner.contains("/*") {
            report(
                Diagnostic(.malformedInterpolation, at: span(a, i), "comment inside an interpolation")
                    .labelled("`${…}` holds one expression, no comment"))
            return nil
        }
        if inner.allSatisfy({ $0 == " " || $0 == "\t" }) {
            report(
                Diagnostic(.malformedInterpolation, at: span(a, i), "empty interpolation")
                    .labelled("`${}` holds no expression")
                    .help("write the expression to insert, such as `${i}`, or `\\$` for a literal dollar sign"))
            return nil
        }
        return .interpolation(start: UInt32(a + 2), end: UInt32(exprEnd), width: width)
    }
}

extension String {
    init(format2 byte: UInt8) {
        let hex = String(byte, radix: 16, uppercase: true)
        self = hex.count == 1 ? "000" + hex : "00" + hex
    }
}
