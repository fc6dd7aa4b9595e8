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

    /// Lexes `bytes[range]` of `file`.
    public static func tokenize(_ bytes: [UInt8], file: FileID, range: Range<Int>? = nil) -> (tokens: [Token], diagnostics: [Diagnostic]) {
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
        case 0xC2...0xDF: n = 2; minScalar = 0x80; scalar = UInt32(c & 0x1F)
        case 0xE0...0xEF: n = 3; minScalar = 0x800; scalar = UInt32(c & 0x0F)
        case 0xF0...0xF4: n = 4; minScalar = 0x10000; scalar = UInt32(c & 0x07)
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
                if at(i + 1) == UInt8(ascii: "/") { lineComment() }
                else if at(i + 1) == UInt8(ascii: "*") { blockComment() }
                else { emit(.slash, i, i + 1); i += 1 }
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
                if at(i + 1) == UInt8(ascii: ".") { emit(.dotdot, i, i + 2); i += 2 } else { unexpected() }
            case UInt8(ascii: "\""):
                string()
            case UInt8(ascii: ":"):
                if at(i + 1) == UInt8(ascii: ":"), let run = addressRun(from: i) { colonAddress(run) } else { unexpected() }
            default:
                if Lexer.isDigit(c) || Lexer.isIdentStart(c) {
                    if Lexer.isHex(c), let run = addressRun(from: i) {
                        colonAddress(run)
                    } else if Lexer.isDigit(c) {
                        number()
                    } else {
                        identifier()
                    }
                } else {
                    unexpected()
                }
            }
        }
        emit(.eof, end, end)
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
                if let n = utf8Length(at: i) { i += n } else { invalidUTF8 = true; i += 1 }
            } else {
                i += 1
            }
        } while i < end && startsNothing(at: i)
        let text = String(decoding: bytes[a..<i], as: UTF8.self)
        if invalidUTF8 {
            report(Diagnostic(.invalidUTF8, at: span(a, i), "invalid UTF-8 in source")
                .labelled("not valid UTF-8")
                .help("save the file as UTF-8"))
        } else {
            let shown = text.unicodeScalars.allSatisfy { $0.value >= 0x20 && $0.value != 0x7F }
                ? "`\(text)`" : "U+" + String(text.unicodeScalars.first!.value, radix: 16, uppercase: true)
            var d = Diagnostic(.unexpectedCharacter, at: span(a, i), "unexpected character\(i - a > 1 && text.unicodeScalars.count > 1 ? "s" : "") \(shown)")
                .labelled("not part of the fabric language")
            if text == ":" {
                d = d.help("`:` only appears inside IPv6 and MAC addresses; statements look like `asn 65000;`")
            } else if text == "=" {
                d = d.help("attributes take their value without `=`: `mtu 9000;`")
            } else if text == "'" {
                d = d.help("strings use double quotes: \"…\"")
            }
            report(d)
        }
        emit(.invalid, a, i)
    }

    /// True when the byte at `k` cannot begin any token (nor white space).
    func startsNothing(at k: Int) -> Bool {
        let c = bytes[k]
        if c >= 0x80 { return true }
        if Lexer.isIdentChar(c) || c == 0x20 || c == 0x09 || c == 0x0A || c == 0x0D || c == 0x0C { return false }
        return !"#/{}(),;+-*%.\":".utf8.contains(c)
    }

    // MARK: comments

    mutating func lineComment() {
        while i < end, bytes[i] != 0x0A {
            if bytes[i] >= 0x80 { checkUTF8InComment() } else { i += 1 }
        }
    }

    mutating func blockComment() {
        let a = i
        i += 2
        while i < end {
            if bytes[i] == UInt8(ascii: "*"), at(i + 1) == UInt8(ascii: "/") {
                i += 2
                return
            }
            if bytes[i] >= 0x80 { checkUTF8InComment() } else { i += 1 }
        }
        report(Diagnostic(.unterminatedComment, at: span(a, a + 2), "unterminated block comment")
            .labelled("comment starts here and never ends")
            .help("close it with `*/`"))
    }

    mutating func checkUTF8InComment() {
        if let n = utf8Length(at: i) {
            i += n
        } else {
            report(Diagnostic(.invalidUTF8, at: span(i, i + 1), "invalid UTF-8 in comment").labelled("not valid UTF-8"))
            i += 1
        }
    }
}
