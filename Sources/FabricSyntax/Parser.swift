import FabricDiagnostics

/// Recursive-descent parser producing a ``FileSyntax`` with spans.
///
/// Recovery is panic-mode: after an error the parser skips to the end of the
/// statement (a `;`, a line break or a brace) and goes on, and it reports at
/// most one error per token, so independent mistakes are each reported once
/// and one mistake does not cascade. Every loop consumes input, and nesting is
/// bounded, so no input can hang or overflow the stack.
public struct Parser {
    let bytes: [UInt8]
    let file: FileID
    var tokens: [Token]
    var pos = 0
    /// Blocks open around the current item.
    var depth = 0
    /// Expression levels (parentheses, operators, interpolations) open
    /// around the current token: a budget of its own, so a loop deep in
    /// blocks is never called a nested expression.
    var exprDepth = 0
    var diagnostics: [Diagnostic] = []
    var lastErrorToken = -1
    var reportedUnclosed = false
    /// Blocks closed by a `}` indented less than their keyword: the likely
    /// place of a missing brace when the file ends with a block still open.
    var misindentedBlocks: [(keyword: Identifier, close: Span)] = []
    /// The file's line index (absent in interpolations, which are one line).
    var lineStarts: [UInt32]?
    /// Parsing the expression of a `${…}`: its end is not the file's.
    var inInterpolation = false

    static let maxDepth = 128
    static let reserved = Set(LanguageSchema.reservedWords)

    /// Parses one file.
    public static func parse(_ source: SourceFile) -> (syntax: FileSyntax, diagnostics: [Diagnostic]) {
        let lexed = Lexer.tokenize(source.bytes, file: source.id)
        var parser = Parser(bytes: source.bytes, file: source.id, tokens: lexed.tokens)
        parser.lineStarts = source.lineStarts
        let items = parser.parseItems(inBlock: false)
        return (FileSyntax(file: source.id, items: items), lexed.diagnostics + parser.diagnostics)
    }

    init(bytes: [UInt8], file: FileID, tokens: [Token], expressionDepth: Int = 0) {
        self.bytes = bytes
        self.file = file
        self.tokens = tokens
        self.exprDepth = expressionDepth
    }

    // MARK: token access

    var current: Token { tokens[pos] }
    var kind: TokenKind { tokens[pos].kind }

    func peek(_ n: Int = 1) -> Token { tokens[min(pos + n, tokens.count - 1)] }

    @discardableResult
    mutating func advance() -> Token {
        let t = tokens[pos]
        if pos < tokens.count - 1 { pos += 1 }
        return t
    }

    func span(_ t: Token) -> Span { Span(file: file, start: t.start, end: t.end) }
    func text(_ t: Token) -> String { String(decoding: bytes[Int(t.start)..<Int(t.end)], as: UTF8.self) }

    /// How a token reads in "found …".
    func describe(_ t: Token) -> String {
        switch t.kind {
        case .identifier, .literal: "`\(text(t))`"
        case .string: "string \(text(t).prefix(40))"
        case .eof where inInterpolation: "the end of the interpolation"
        default: t.kind.spelling
        }
    }

    var previousEnd: Span {
        let t = pos > 0 ? tokens[pos - 1] : tokens[pos]
        return Span(file: file, start: t.end, end: t.end)
    }

    /// The end of the last line with text, for "the file ends here".
    var endOfText: Span {
        var k = Int(current.start)
        while k > 0, bytes[k - 1] == 0x0A || bytes[k - 1] == 0x0D || bytes[k - 1] == 0x20 || bytes[k - 1] == 0x09 {
            k -= 1
        }
        return Span(file: file, start: UInt32(k), end: UInt32(k))
    }

    mutating func error(_ d: Diagnostic) {
        guard pos != lastErrorToken else { return }
        lastErrorToken = pos
        diagnostics.append(d)
    }

    mutating func skipNewlines() {
        while kind == .newline { advance() }
    }

    /// Skips to the end of the current statement; a `{` met on the way skips
    /// its whole block unless `stopAtBrace`.
    mutating func synchronize(stopAtBrace: Bool) {
        var nesting = 0
        while kind != .eof {
            switch kind {
            case .lbrace:
                if nesting == 0, stopAtBrace { return }
                nesting += 1
            case .rbrace:
                if nesting == 0 { return }
                nesting -= 1
                if nesting == 0 {
                    advance()
                    return
                }
            case .newline, .semicolon:
                if nesting == 0 { return }
            default:
                break
            }
            advance()
        }
    }

    // MARK: statements

    mutating func parseItems(inBlock: Bool) -> [Item] {
        var items: [Item] = []
        while true {
            let start = pos
            while kind == .newline || kind == .semicolon { advance() }
            switch kind {
            case .eof:
                return items
            case .rbrace:
                if inBlock { return items }
                error(
                    Diagnostic(.unmatchedBrace, at: span(current), "unmatched `}`")
                        .labelled("no block is open here"))
                advance()
            case .identifier:
                if let item = parseItem() { items.append(item) }
            case .invalid:
                advance()
            default:
                var d = Diagnostic(
                    .expectedStatement, at: span(current), "expected a statement, found \(describe(current))"
                )
                .labelled("a statement starts with a keyword")
                if kind == .literal || kind == .string {
                    d = d.help("values follow a keyword, as in `address 10.0.0.1`")
                }
                error(d)
                synchronize(stopAtBrace: false)
            }
            if pos == start { advance() }
        }
    }

    mutating func parseItem() -> Item? {
        // By bytes: making the keyword's string here and again for the
        // statement cost a string per statement.
        if isWord(current, "include") { return parseInclude() }
        if isWord(current, "for") { return parseFor() }
        return parseStatement()
    }

    /// Whether the token's text is `word` (ASCII).
    func isWord(_ t: Token, _ word: StaticString) -> Bool {
        guard Int(t.end - t.start) == word.utf8CodeUnitCount else { return false }
        let start = Int(t.start)
        for k in 0..<word.utf8CodeUnitCount where bytes[start + k] != word.utf8Start[k] { return false }
        return true
    }

    mutating func parseStatement() -> Item? {
        let kwToken = advance()
        let keyword = Identifier(text(kwToken), span(kwToken))
        var values: [Expression] = []
        if !atStatementEnd, kind != .lbrace {
            values = parseValueList()
        }
        if kind == .newline, nextAfterNewlines == .lbrace { skipNewlines() }
        if kind == .lbrace {
            return .block(parseBlock(keyword: keyword, labels: values))
        }
        if let quoted = unquotedName(keyword: keyword, values: values) {
            error(
                Diagnostic(
                    .expectedToken, at: span(current),
                    "expected `{` after the name of `\(keyword.name)`, found \(describe(current))"
                )
                .labelled("the name ends before this")
                .help("a name with spaces must be quoted: `\(keyword.name) \"\(quoted)\" { … }`"))
            synchronize(stopAtBrace: true)
            if kind == .lbrace {
                return .block(parseBlock(keyword: keyword, labels: [Expression(.invalid, values[0].span)]))
            }
        } else if !expectTerminator(after: keyword.name) {
            synchronize(stopAtBrace: true)
            if kind == .lbrace { return .block(parseBlock(keyword: keyword, labels: values)) }
        }
        let end = values.last?.span ?? keyword.span
        return .attribute(Attribute(keyword: keyword, values: values, span: keyword.span.through(end)))
    }

    /// `portgroup VM Network {`: one name, then more words up to a `{` on
    /// the same line. Returns the words as they would read quoted.
    func unquotedName(keyword: Identifier, values: [Expression]) -> String? {
        guard values.count == 1, case .name = values[0].kind, kind == .identifier || kind == .literal else {
            return nil
        }
        var k = pos
        while tokens[k].kind == .identifier || tokens[k].kind == .literal { k += 1 }
        guard tokens[k].kind == .lbrace else { return nil }
        return String(decoding: bytes[Int(values[0].span.start)..<Int(tokens[k - 1].end)], as: UTF8.self)
    }

    var atStatementEnd: Bool {
        switch kind {
        case .semicolon, .newline, .rbrace, .eof: true
        default: false
        }
    }

    var nextAfterNewlines: TokenKind {
        var k = pos
        while tokens[k].kind == .newline, k < tokens.count - 1 { k += 1 }
        return tokens[k].kind
    }

    /// Consumes `;` or a line break; accepts a following `}` or the end.
    mutating func expectTerminator(after what: String) -> Bool {
        switch kind {
        case .semicolon, .newline:
            advance()
            return true
        case .rbrace, .eof:
            return true
        case .invalid:
            // Already reported by the lexer; just resynchronise.
            return false
        default:
            var d = Diagnostic(
                .expectedToken, at: span(current),
                "expected `;` or a line break after `\(what)`, found \(describe(current))"
            )
            .labelled("unexpected here")
            if kind == .identifier {
                d = d.help("separate values with `,`, and statements with `;` or a line break")
            }
            error(d)
            return false
        }
    }

    mutating func parseBlock(keyword: Identifier, labels: [Expression]) -> Block {
        let open = span(advance())
        if depth >= Parser.maxDepth {
            error(
                Diagnostic(.expectedToken, at: open, "blocks are nested too deeply")
                    .labelled("more than \(Parser.maxDepth) levels"))
            pos -= 1
            synchronize(stopAtBrace: false)
            return Block(
                keyword: keyword, labels: labels, body: [], openBrace: open, closeBrace: nil,
                span: keyword.span.through(previousEnd))
        }
        depth += 1
        let body = parseItems(inBlock: true)
        depth -= 1
        var close: Span?
        if kind == .rbrace {
            close = span(advance())
            noteIndentation(keyword: keyword, close: close!)
        } else if !reportedUnclosed {
            reportedUnclosed = true
            var d = Diagnostic(.unclosedBrace, at: open, "unclosed `{` of `\(keyword.name)`")
                .labelled("this `{` is never closed")
                .label(endOfText, "the file ends here")
            if let suspect = misindentedBlocks.first(where: { $0.keyword.span.start > open.start }) {
                d = d.label(suspect.keyword.span, "this block may be missing its `}`")
                    .label(suspect.close, "this `}` is indented like an outer block")
            }
            diagnostics.append(d.help("add `}` where the `\(keyword.name)` block ends"))
        }
        let end = close ?? previousEnd
        return Block(
            keyword: keyword, labels: labels, body: body, openBrace: open, closeBrace: close,
            span: keyword.span.through(end))
    }

    /// Remembers a block whose `}` sits left of its keyword's column.
    mutating func noteIndentation(keyword: Identifier, close: Span) {
        // Byte columns: a short look back for the line's start (every block
        // of a big file passes here twice), else the line index, so a file
        // of many blocks on one line does not make this quadratic.
        func column(_ offset: UInt32) -> Int {
            guard lineStarts != nil else { return 0 }
            var k = Int(offset)
            while k > 0, Int(offset) - k < 256 {
                if bytes[k - 1] == 0x0A { return Int(offset) - k }
                k -= 1
            }
            if k == 0 { return Int(offset) }
            guard let lineStarts else { return 0 }
            var lo = 0
            var hi = lineStarts.count - 1
            while lo < hi {
                let mid = (lo + hi + 1) / 2
                if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
            }
            return Int(offset - lineStarts[lo])
        }
        if column(close.start) < column(keyword.span.start) {
            misindentedBlocks.append((keyword, close))
        }
    }

    mutating func parseInclude() -> Item? {
        let kw = advance()
        let keywordSpan = span(kw)
        if atStatementEnd {
            error(
                Diagnostic(.expectedToken, at: previousEnd, "expected a file name after `include`")
                    .labelled("expected a string")
                    .help("write `include \"hosts.fab\"`"))
            return nil
        }
        let path = parseExpression()
        let item = Include(path: path, span: keywordSpan.through(path.span))
        if depth > 0 {
            error(
                Diagnostic(.includeNotTopLevel, at: keywordSpan, "`include` inside a block")
                    .labelled("only allowed at the top level of a file"))
        } else if path.plainString == nil, path.kind != .invalid {
            error(
                Diagnostic(.includeNotLiteral, at: path.span, "include path must be a plain string")
                    .labelled("not a string literal without interpolation")
                    .help("write the path as a string: `include \"hosts.fab\"`"))
        }
        if !expectTerminator(after: "include") { synchronize(stopAtBrace: false) }
        return depth > 0 ? nil : .include(item)
    }

    mutating func parseFor() -> Item? {
        let kw = advance()
        guard kind == .identifier, !Parser.reserved.contains(text(current)) else {
            error(
                Diagnostic(
                    .expectedToken, at: span(current),
                    "expected a loop variable after `for`, found \(describe(current))"
                )
                .labelled("expected a name")
                .help("write `for i in 1..48 { … }`"))
            synchronize(stopAtBrace: false)
            return nil
        }
        let variableToken = advance()
        let variable = Identifier(text(variableToken), span(variableToken))
        guard kind == .identifier, text(current) == "in" else {
            error(
                Diagnostic(
                    .expectedToken, at: span(current),
                    "expected `in` after `for \(variable.name)`, found \(describe(current))"
                )
                .labelled("expected `in`"))
            synchronize(stopAtBrace: false)
            return nil
        }
        advance()
        let sequence = parseExpression()
        if kind == .newline, nextAfterNewlines == .lbrace { skipNewlines() }
        guard kind == .lbrace else {
            error(
                Diagnostic(
                    .expectedToken, at: span(current), "expected `{` after the loop range, found \(describe(current))"
                )
                .labelled("expected `{`"))
            synchronize(stopAtBrace: false)
            return nil
        }
        let block = parseBlock(keyword: Identifier("for", span(kw)), labels: [])
        return .forLoop(ForLoop(variable: variable, sequence: sequence, body: block.body, span: block.span))
    }

    // MARK: expressions

    mutating func parseValueList() -> [Expression] {
        var values = [parseExpression()]
        while kind == .comma {
            let comma = span(advance())
            if kind == .newline {
                // A list may go on after a comma at the end of a line, but a
                // next line that reads as a statement (`mtu 9000`) means the
                // comma was one too many.
                var k = pos
                while tokens[k].kind == .newline, k < tokens.count - 1 { k += 1 }
                let next = tokens[k]
                let after = tokens[min(k + 1, tokens.count - 1)]
                let listGoesOn =
                    switch after.kind {
                    case .comma, .newline, .semicolon, .rbrace, .eof, .dotdot, .plus, .minus, .star, .slash, .percent:
                        true
                    default: false
                    }
                if next.kind == .rbrace || next.kind == .eof || (next.kind == .identifier && !listGoesOn) {
                    error(
                        Diagnostic(.expectedToken, at: comma, "trailing `,` at the end of a list")
                            .labelled("a value must follow")
                            .help("remove the `,`, or put the next value after it"))
                    return values
                }
            }
            skipNewlines()
            values.append(parseExpression())
        }
        return values
    }

    mutating func parseExpression() -> Expression {
        guard exprDepth < Parser.maxDepth else {
            let s = span(current)
            error(
                Diagnostic(.expectedToken, at: s, "expression is nested too deeply")
                    .labelled("more than \(Parser.maxDepth) levels"))
            synchronize(stopAtBrace: true)
            return Expression(.invalid, s)
        }
        exprDepth += 1
        defer { exprDepth -= 1 }
        let lhs = parseAdditive()
        if kind == .dotdot {
            advance()
            let rhs = parseAdditive()
            return Expression(.range(lhs, rhs), lhs.span.through(rhs.span))
        }
        return lhs
    }

    /// Each operator in a chain nests the tree one level deeper, so chains
    /// spend the same exprDepth budget as parentheses: every later walk over the
    /// tree (and freeing it) recurses that deep.
    mutating func chainTooLong(_ start: Int) -> Bool {
        exprDepth += 1
        guard exprDepth >= Parser.maxDepth * 2 else { return false }
        error(
            Diagnostic(.expectedToken, at: span(current), "expression is too long")
                .labelled("more than \(Parser.maxDepth * 2) operators and parentheses")
                .help("split the computation over several loops or declarations"))
        synchronize(stopAtBrace: true)
        exprDepth = start
        return true
    }

    mutating func parseAdditive() -> Expression {
        let start = exprDepth
        defer { exprDepth = start }
        var lhs = parseMultiplicative()
        while kind == .plus || kind == .minus {
            if chainTooLong(start) { return Expression(.invalid, lhs.span) }
            let op: BinaryOperator = advance().kind == .plus ? .add : .subtract
            let rhs = parseMultiplicative()
            lhs = Expression(.binary(op, lhs, rhs), lhs.span.through(rhs.span))
        }
        return lhs
    }

    mutating func parseMultiplicative() -> Expression {
        let start = exprDepth
        defer { exprDepth = start }
        var lhs = parseUnary()
        while kind == .star || kind == .slash || kind == .percent {
            if chainTooLong(start) { return Expression(.invalid, lhs.span) }
            let op: BinaryOperator =
                switch advance().kind {
                case .star: .multiply
                case .slash: .divide
                default: .remainder
                }
            let rhs = parseUnary()
            lhs = Expression(.binary(op, lhs, rhs), lhs.span.through(rhs.span))
        }
        return lhs
    }

    mutating func parseUnary() -> Expression {
        if kind == .minus {
            let minus = span(advance())
            guard exprDepth < Parser.maxDepth else { return parseExpression() }
            exprDepth += 1
            defer { exprDepth -= 1 }
            let operand = parseUnary()
            return Expression(.unary(.negate, operand), minus.through(operand.span))
        }
        return parsePrimary()
    }

    mutating func parsePrimary() -> Expression {
        let t = current
        switch t.kind {
        case .literal:
            advance()
            if case .literal(let value) = t.payload { return Expression(.literal(value), span(t)) }
            return Expression(.invalid, span(t))
        case .string:
            advance()
            switch t.payload {
            case .plainString(let text): return Expression(.string([.text(text)]), span(t))
            case .string(let pieces): return Expression(.string(parseStringPieces(pieces)), span(t))
            default: return Expression(.invalid, span(t))
            }
        case .identifier:
            advance()
            return Expression(.name(text(t)), span(t))
        case .lparen:
            // Parentheses do not span lines: a missing `)` is then reported
            // where the line ends, and the next statement survives.
            let open = span(advance())
            let inner = parseExpression()
            if kind == .rparen {
                let close = span(advance())
                return Expression(inner.kind, open.through(close))
            }
            error(
                Diagnostic(
                    .unclosedParen, at: kind == .newline ? previousEnd : span(current),
                    "expected `)`, found \(describe(current))"
                )
                .labelled("expected `)`")
                .label(open, "to close this `(`"))
            return Expression(.invalid, open.through(inner.span))
        case .invalid:
            // Already reported by the lexer (`gateway = 10.0.0.1`): skip the
            // junk and take the value after it, so one slip is one error.
            while kind == .invalid { advance() }
            switch kind {
            case .literal, .string, .identifier, .lparen, .minus: return parseUnary()
            default: return Expression(.invalid, span(t))
            }
        default:
            error(
                Diagnostic(.expectedToken, at: span(t), "expected a value, found \(describe(t))")
                    .labelled("expected a value"))
            // Structural tokens are left for the statement level to handle.
            switch t.kind {
            case .lbrace, .rbrace, .semicolon, .newline, .eof, .comma: break
            default: advance()
            }
            return Expression(.invalid, Span(file: file, start: t.start, end: t.end))
        }
    }

    /// Parses the `${…}` pieces of a string by lexing their byte ranges.
    mutating func parseStringPieces(_ pieces: [StringPiece]) -> [StringPart] {
        pieces.map { piece in
            switch piece {
            case .text(let s):
                return .text(s)
            case .interpolation(let start, let end, let width):
                let lexed = Lexer.tokenize(bytes, file: file, range: Int(start)..<Int(end))
                diagnostics += lexed.diagnostics
                var sub = Parser(bytes: bytes, file: file, tokens: lexed.tokens, expressionDepth: exprDepth + 1)
                sub.inInterpolation = true
                sub.skipNewlines()
                let expr = sub.parseExpression()
                if sub.kind != .eof, sub.kind != .invalid {
                    sub.error(
                        Diagnostic(
                            .malformedInterpolation, at: sub.span(sub.current),
                            "unexpected \(sub.describe(sub.current)) in interpolation"
                        )
                        .labelled("an interpolation holds one expression"))
                }
                diagnostics += sub.diagnostics
                return .interpolation(expr, width: width)
            }
        }
    }
}
