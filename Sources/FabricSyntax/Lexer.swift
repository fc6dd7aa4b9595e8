import FabricDiagnostics

/// Turns the bytes of one file (or a sub-range, for `${…}`) into tokens.
///
/// The lexer never fails: malformed input becomes a diagnostic plus an
/// `.invalid` token or a poisoned literal, so the parser can carry on.
/// It works on bytes; UTF-8 is only decoded inside strings and checked in
/// comments.
public struct Lexer {
    let bytes: [UInt8]
    let file: FileID
    let end: Int
    var i: Int
    public private(set) var tokens: [Token] = []
    public private(set) var diagnostics: [Diagnostic] = []
    /// Byte ranges of the comments, for the formatter (the parser never sees them).
    public private(set) var comments: [Range<Int>] = []
    /// A file in another encoding has invalid bytes everywhere: report the
    /// first one only.
    var reportedInvalidUTF8 = false
    /// Set by `interpolation()` when its `${` has no `}` on the line.
    var interpolationUnclosed = false
    /// Index of that first report, and how many bytes went unreported.
    var invalidUTF8Report: Int?
    var unreportedInvalidUTF8 = 0

    /// Lexes a whole file, keeping its comments' ranges too.
    public static func tokenizeKeepingComments(_ bytes: [UInt8], file: FileID) -> (
        tokens: [Token], comments: [Range<Int>], diagnostics: [Diagnostic]
    ) {
        var lexer = Lexer(bytes: bytes, file: file, range: 0..<bytes.count)
        lexer.run()
        return (lexer.tokens, lexer.comments, lexer.diagnostics)
    }

    /// Lexes `bytes[range]` of `file`.
    public static func tokenize(_ bytes: [UInt8], file: FileID, range: Range<Int>? = nil) -> (
        tokens: [Token], diagnostics: [Diagnostic]
    ) {
        var lexer = Lexer(bytes: bytes, file: file, range: range ?? 0..<bytes.count)
        lexer.run()
        return (lexer.tokens, lexer.diagnostics)
    }

    init(bytes: [UInt8], file: FileID, range: Range<Int>) {
        self.bytes = bytes
        self.file = file
        self.end = range.upperBound
        self.i = range.lowerBound
        tokens.reserveCapacity(range.count / 4)
    }

    // MARK: helpers

    @inline(__always) func at(_ k: Int) -> UInt8 { k < end ? bytes[k] : 0 }

    func span(_ a: Int, _ b: Int) -> Span { Span(file: file, start: UInt32(a), end: UInt32(b)) }

    mutating func emit(_ kind: TokenKind, _ a: Int, _ b: Int, _ payload: TokenPayload = .none) {
        tokens.append(Token(kind, UInt32(a), UInt32(b), payload))
    }

    mutating func report(_ d: Diagnostic) { diagnostics.append(d) }

    static func isDigit(_ c: UInt8) -> Bool { c >= 0x30 && c <= 0x39 }
    static func isHex(_ c: UInt8) -> Bool { isDigit(c) || (c | 0x20 >= 0x61 && c | 0x20 <= 0x66) }
    static func hexValue(_ c: UInt8) -> UInt8? {
        switch c {
        case 0x30...0x39: c - 0x30
        case 0x41...0x46: c - 0x41 + 10
        case 0x61...0x66: c - 0x61 + 10
        default: nil
        }
    }
    static func isLetter(_ c: UInt8) -> Bool { (c | 0x20) >= 0x61 && (c | 0x20) <= 0x7A }
    static func isIdentStart(_ c: UInt8) -> Bool { isLetter(c) || c == 0x5F }
    static func isIdentChar(_ c: UInt8) -> Bool { isLetter(c) || isDigit(c) || c == 0x5F || c == 0x2D }

    /// Length of the valid UTF-8 sequence at `k`, or nil.
    func utf8Length(at k: Int) -> Int? {
        let c = at(k)
        let n: Int
        let minScalar: UInt32
        var scalar: UInt32
        switch c {
        case 0x00...0x7F: return 1
        case 0xC2...0xDF:
            n = 2
            minScalar = 0x80
            scalar = UInt32(c & 0x1F)
        case 0xE0...0xEF:
            n = 3
            minScalar = 0x800
            scalar = UInt32(c & 0x0F)
        case 0xF0...0xF4:
            n = 4
            minScalar = 0x10000
            scalar = UInt32(c & 0x07)
        default: return nil
        }
        guard k + n <= end else { return nil }
        for m in 1..<n {
            let cc = bytes[k + m]
            guard cc & 0xC0 == 0x80 else { return nil }
            scalar = scalar << 6 | UInt32(cc & 0x3F)
        }
        guard scalar >= minScalar, scalar <= 0x10FFFF, !(0xD800...0xDFFF).contains(scalar) else { return nil }
        return n
    }

    // MARK: main loop

    mutating func run() {
        // A UTF-8 byte-order mark, as some Windows editors write, is not text.
        if i == 0, end >= 3, bytes[0] == 0xEF, bytes[1] == 0xBB, bytes[2] == 0xBF { i = 3 }
        while i < end {
            let c = bytes[i]
            switch c {
            case 0x20, 0x09, 0x0D, 0x0C:
                i += 1
            case 0x0A:
                if tokens.last?.kind != .newline { emit(.newline, i, i + 1) }
                i += 1
            case UInt8(ascii: "#"):
                lineComment()
            case UInt8(ascii: "/"):
                if at(i + 1) == UInt8(ascii: "/") {
                    lineComment()
                } else if at(i + 1) == UInt8(ascii: "*") {
                    blockComment()
                } else {
                    emit(.slash, i, i + 1)
                    i += 1
                }
            case UInt8(ascii: "{"): single(.lbrace)
            case UInt8(ascii: "}"): single(.rbrace)
            case UInt8(ascii: "("): single(.lparen)
            case UInt8(ascii: ")"): single(.rparen)
            case UInt8(ascii: ","): single(.comma)
            case UInt8(ascii: ";"): single(.semicolon)
            case UInt8(ascii: "+"): single(.plus)
            case UInt8(ascii: "-"): single(.minus)
            case UInt8(ascii: "*"): single(.star)
            case UInt8(ascii: "%"): single(.percent)
            case UInt8(ascii: "."):
                if at(i + 1) == UInt8(ascii: ".") {
                    emit(.dotdot, i, i + 2)
                    i += 2
                } else {
                    unexpected()
                }
            case UInt8(ascii: "\""):
                string()
            case UInt8(ascii: "'"):
                wrongQuotes(open: [0x27], close: [0x27], name: "single quotes")
            case UInt8(ascii: ":"):
                if at(i + 1) == UInt8(ascii: ":"), let run = addressRun(from: i) {
                    colonAddress(run)
                } else {
                    unexpected()
                }
            default:
                if Lexer.isDigit(c) || Lexer.isIdentStart(c) {
                    if at(i + 2) == UInt8(ascii: "-"), dashedMAC() {
                        continue
                    } else if Lexer.isHex(c), let run = addressRun(from: i) {
                        colonAddress(run)
                    } else if Lexer.isDigit(c) {
                        number()
                    } else {
                        identifier()
                    }
                } else if c == 0xE2, at(i + 1) == 0x80, (0x98...0x9D).contains(at(i + 2)) {
                    // ‘ ’ “ ” — typographic quotes pasted from a document.
                    let double = at(i + 2) >= 0x9C
                    wrongQuotes(
                        open: [0xE2, 0x80, at(i + 2)], close: double ? [0xE2, 0x80, 0x9D] : [0xE2, 0x80, 0x99],
                        name: "typographic quotes", alternate: double ? [0xE2, 0x80, 0x9C] : [0xE2, 0x80, 0x98])
                } else {
                    unexpected()
                }
            }
        }
        if let index = invalidUTF8Report, unreportedInvalidUTF8 > 0 {
            let n = unreportedInvalidUTF8
            diagnostics[index] = diagnostics[index].note(
                "\(n) more invalid byte\(n == 1 ? "" : "s") in this file \(n == 1 ? "is" : "are") not reported")
        }
        emit(.eof, end, end)
    }

    /// `52-54-00-12-34-56`, as Windows writes a MAC address: one error
    /// saying how to write it, not a cascade of numbers and names.
    mutating func dashedMAC() -> Bool {
        for k in 0..<17 {
            let c = at(i + k)
            if k % 3 == 2 {
                guard c == UInt8(ascii: "-") else { return false }
            } else {
                guard Lexer.isHex(c) else { return false }
            }
        }
        if i + 17 < end, Lexer.isIdentChar(bytes[i + 17]) { return false }
        let text = self.text(i, i + 17)
        report(
            Diagnostic(.malformedMAC, at: span(i, i + 17), "MAC address `\(text)` is written with `-`")
                .labelled("use `:` between the pairs")
                .help("write `\(text.replacingOccurrences(of: "-", with: ":"))`"))
        emit(.literal, i, i + 17, .poisonedLiteral)
        i += 17
        return true
    }

    mutating func single(_ kind: TokenKind) {
        emit(kind, i, i + 1)
        i += 1
    }

    mutating func identifier() {
        let a = i
        while i < end, Lexer.isIdentChar(bytes[i]) { i += 1 }
        emit(.identifier, a, i)
    }

    /// Reports a run of characters that cannot start a token as one error.
    mutating func unexpected() {
        let a = i
        var invalidUTF8 = false
        repeat {
            if bytes[i] >= 0x80 {
                if let n = utf8Length(at: i) {
                    i += n
                } else {
                    invalidUTF8 = true
                    i += 1
                }
            } else {
                i += 1
            }
        } while i < end && startsNothing(at: i)
        let text = String(decoding: bytes[a..<i], as: UTF8.self)
        if invalidUTF8 {
            reportInvalidUTF8(span(a, i))
        } else {
            let shown =
                text.unicodeScalars.allSatisfy(Lexer.isVisible)
                ? "`\(text)`" : text.unicodeScalars.map(Lexer.codePoint).joined(separator: " ")
            var d = Diagnostic(
                .unexpectedCharacter, at: span(a, i),
                "unexpected character\(i - a > 1 && text.unicodeScalars.count > 1 ? "s" : "") \(shown)"
            )
            .labelled("not part of the fabric language")
            if text == ":" {
                d = d.help("`:` only appears inside IPv6 and MAC addresses; statements look like `asn 65000;`")
            } else if text == "=" {
                d = d.help("attributes take their value without `=`: `mtu 9000;`")
            } else if text.unicodeScalars.contains(where: { $0.properties.isWhitespace }) {
                d = d.help("a space character that is not a plain space; replace it with a space")
            }
            report(d)
        }
        emit(.invalid, a, i)
    }

    static func isVisible(_ s: Unicode.Scalar) -> Bool {
        if s.value < 0x20 || s.value == 0x7F || s.properties.isWhitespace { return false }
        switch s.properties.generalCategory {
        case .control, .format, .spaceSeparator, .lineSeparator, .paragraphSeparator, .unassigned, .privateUse,
            .surrogate:
            return false
        default:
            return true
        }
    }

    static func codePoint(_ s: Unicode.Scalar) -> String {
        let hex = String(s.value, radix: 16, uppercase: true)
        return "U+" + String(repeating: "0", count: max(0, 4 - hex.count)) + hex
    }

    /// A string in the wrong quotes: one error for the whole string, which
    /// becomes a poisoned string token so the statement still parses.
    mutating func wrongQuotes(open: [UInt8], close: [UInt8], name: String, alternate: [UInt8]? = nil) {
        let a = i
        var j = i + open.count
        while j < end, bytes[j] != 0x0A {
            if bytes[j...].starts(with: close) || (alternate.map { bytes[j...].starts(with: $0) } ?? false) {
                let stop = j + close.count
                report(
                    Diagnostic(.unexpectedCharacter, at: span(a, stop), "string in \(name)")
                        .labelled("not a string")
                        .help("strings use straight double quotes: \"\(text(a + open.count, j))\""))
                emit(.string, a, stop, .poisonedLiteral)
                i = stop
                return
            }
            j += 1
        }
        unexpected()
    }

    /// True when the byte at `k` cannot begin any token (nor white space).
    func startsNothing(at k: Int) -> Bool {
        let c = bytes[k]
        if c >= 0x80 { return true }
        if Lexer.isIdentChar(c) || c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C { return false }
        return !"#/{}(),;+-*%.\":".utf8.contains(c)
    }

    mutating func reportInvalidUTF8(_ at: Span) {
        guard !reportedInvalidUTF8 else {
            unreportedInvalidUTF8 += 1
            return
        }
        reportedInvalidUTF8 = true
        invalidUTF8Report = diagnostics.count
        report(
            Diagnostic(.invalidUTF8, at: at, "invalid UTF-8 in source")
                .labelled("not valid UTF-8")
                .help("save the file as UTF-8"))
    }

    // MARK: comments

    mutating func lineComment() {
        let a = i
        while i < end, bytes[i] != 0x0A {
            if bytes[i] >= 0x80 { checkUTF8InComment() } else { i += 1 }
        }
        comments.append(a..<i)
    }

    /// Block comments do not nest (as in Junos and BIRD). When one holds a
    /// `/*` and a stray `*/` follows it, the writer expected nesting: that
    /// is one error, and the text up to the stray `*/` is skipped with it.
    mutating func blockComment() {
        let a = i
        i += 2
        var nestedOpen: Int?
        while i < end {
            if bytes[i] == UInt8(ascii: "*"), at(i + 1) == UInt8(ascii: "/") {
                i += 2
                comments.append(a..<i)
                if let inner = nestedOpen { strayCommentEnd(after: inner) }
                return
            }
            if bytes[i] == UInt8(ascii: "/"), at(i + 1) == UInt8(ascii: "*"), nestedOpen == nil {
                nestedOpen = i
            }
            if bytes[i] >= 0x80 { checkUTF8InComment() } else { i += 1 }
        }
        report(
            Diagnostic(.unterminatedComment, at: span(a, a + 2), "unterminated block comment")
                .labelled("comment starts here and never ends")
                .help("close it with `*/`"))
    }

    mutating func strayCommentEnd(after inner: Int) {
        var j = i
        while j + 1 < end {
            if bytes[j] == UInt8(ascii: "/"), bytes[j + 1] == UInt8(ascii: "*") { return }
            if bytes[j] == UInt8(ascii: "*"), bytes[j + 1] == UInt8(ascii: "/") {
                report(
                    Diagnostic(.nestedComment, at: span(inner, inner + 2), "block comments do not nest")
                        .labelled("this `/*` does not open a comment of its own")
                        .label(span(i - 2, i), "the comment ends here")
                        .label(span(j, j + 2), "so this `*/` ends nothing")
                        .help("close the first comment before opening another, or use `#` line comments"))
                i = j + 2
                return
            }
            j += 1
        }
    }

    mutating func checkUTF8InComment() {
        if let n = utf8Length(at: i) {
            i += n
        } else {
            reportInvalidUTF8(span(i, i + 1))
            i += 1
        }
    }
}
