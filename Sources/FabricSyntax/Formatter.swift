import FabricDiagnostics

/// `fabricc fmt`: one canonical layout for a `.fab` file. It works on the
/// tokens and comments of a file that parses, and changes only what lies
/// between them: one statement a line (`;` becomes a line break), four
/// spaces a brace level, `{` at the end of its statement's line, `}` on its
/// own, one space between words, none before `,` or around `..`, spaces
/// around binary operators, at most one blank line kept between statements
/// and none at a block's edges. Trailing comments of consecutive lines
/// line up in one column, two spaces after the longest of those lines, as
/// gofmt aligns them; a line without one, or a blank line, ends the run. Tokens,
/// comments and their order stay as written, so the syntax tree does not
/// change; formatting twice gives what formatting once gave.
public enum Formatter {
    /// The formatted text, or the diagnostics that keep the file from being
    /// formatted (it must parse without errors).
    public static func format(_ source: SourceFile) -> (text: String?, diagnostics: [Diagnostic]) {
        let parsed = Parser.parse(source)
        let errors = parsed.diagnostics.filter { $0.severity == .error }
        guard errors.isEmpty else { return (nil, parsed.diagnostics) }
        let lexed = Lexer.tokenizeKeepingComments(source.bytes, file: source.id)
        var printer = Printer(bytes: source.bytes, elements: elements(lexed.tokens, lexed.comments))
        printer.run()
        return (printer.text, [])
    }

    enum Element {
        case token(Token)
        case comment(Range<Int>)

        var start: Int {
            switch self {
            case .token(let t): Int(t.start)
            case .comment(let r): r.lowerBound
            }
        }
        var end: Int {
            switch self {
            case .token(let t): Int(t.end)
            case .comment(let r): r.upperBound
            }
        }
    }

    /// Tokens and comments in source order; line breaks are read from the
    /// gaps between them instead.
    static func elements(_ tokens: [Token], _ comments: [Range<Int>]) -> [Element] {
        var out: [Element] = []
        var c = 0
        for token in tokens where token.kind != .newline && token.kind != .eof {
            while c < comments.count, comments[c].lowerBound < Int(token.start) {
                out.append(.comment(comments[c]))
                c += 1
            }
            out.append(.token(token))
        }
        while c < comments.count {
            out.append(.comment(comments[c]))
            c += 1
        }
        return out
    }

    struct Printer {
        let bytes: [UInt8]
        let elements: [Element]
        var lines: [String] = []
        var line = ""
        var depth = 0
        /// The next token starts a statement.
        var atStatementStart = true
        /// Nothing printed yet in the current block: no blank line here.
        var atBlockStart = true
        var parens = 0
        var previous: Token?
        /// The token just printed is a unary minus.
        var unaryMinus = false
        /// A block comment ends the current line so far: a space follows it.
        var afterComment = false
        /// Lines ending in a trailing line comment: line index → where the
        /// comment starts (the code before it, in characters).
        var trailing: [Int: Int] = [:]

        var text: String {
            var all = lines
            if !line.isEmpty { all.append(line) }
            while all.last?.isEmpty == true { all.removeLast() }
            Self.align(&all, trailing)
            return all.isEmpty ? "" : all.joined(separator: "\n") + "\n"
        }

        /// Pads the code of each run of consecutive lines with trailing
        /// comments so the comments start in one column.
        static func align(_ lines: inout [String], _ trailing: [Int: Int]) {
            var n = 0
            while n < lines.count {
                guard trailing[n] != nil else {
                    n += 1
                    continue
                }
                var end = n
                while end + 1 < lines.count, trailing[end + 1] != nil { end += 1 }
                let column = (n...end).map { trailing[$0]! }.max()! + 2
                for k in n...end where end > n {
                    let code = trailing[k]!
                    let text = lines[k]
                    let split = text.index(text.startIndex, offsetBy: code)
                    let comment = text[split...].drop { $0 == " " }
                    lines[k] = String(text[..<split]) + String(repeating: " ", count: column - code) + comment
                }
                n = end + 1
            }
        }

        func source(_ a: Int, _ b: Int) -> String { String(decoding: bytes[a..<b], as: UTF8.self) }

        func newlines(before index: Int) -> Int {
            let from = index == 0 ? 0 : elements[index - 1].end
            return bytes[from..<elements[index].start].reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        }

        var indent: String { String(repeating: "    ", count: depth) }

        mutating func flush() {
            guard !line.isEmpty else { return }
            lines.append(line)
            line = ""
        }

        mutating func startLine(blankBefore: Bool) {
            flush()
            if blankBefore, !atBlockStart, lines.last?.isEmpty == false { lines.append("") }
            line = indent
            atBlockStart = false
        }

        mutating func run() {
            var index = 0
            while index < elements.count {
                let gap = newlines(before: index)
                switch elements[index] {
                case .comment(let range):
                    comment(source(range.lowerBound, range.upperBound), gap: gap)
                case .token(let token):
                    index = self.token(token, at: index, gap: gap)
                }
                index += 1
            }
        }

        mutating func comment(_ text: String, gap: Int) {
            let trimmed =
                text.hasPrefix("/*")
                ? text : String(text.reversed().drop { $0 == " " || $0 == "\t" || $0 == "\r" }.reversed())
            if gap == 0, !line.trimmingCharacters(in: .whitespaces).isEmpty {
                if !text.hasPrefix("/*") { trailing[lines.count] = line.count }
                line += "  " + trimmed
                afterComment = true
            } else {
                startLine(blankBefore: gap >= 2)
                line += trimmed
            }
            if !text.hasPrefix("/*") {
                flush()
                // The statement goes on after a line comment only behind a `,`.
                if previous?.kind != .comma { atStatementStart = true }
            }
        }

        /// Whether the statement ends at the line break before `token`.
        func continues(_ token: Token) -> Bool {
            token.kind == .lbrace || previous?.kind == .comma || parens > 0
        }

        /// Prints a token; returns the index of the last element it used.
        mutating func token(_ token: Token, at index: Int, gap: Int) -> Int {
            if gap > 0, !atStatementStart, !continues(token) { atStatementStart = true }
            switch token.kind {
            case .semicolon:
                atStatementStart = true
                return index
            case .lbrace:
                // `{ }` for an empty block: nothing inside but `;`s.
                var close = index + 1
                while close < elements.count, case .token(let t) = elements[close], t.kind == .semicolon { close += 1 }
                if close < elements.count, case .token(let next) = elements[close], next.kind == .rbrace {
                    if line.trimmingCharacters(in: .whitespaces).isEmpty {
                        startLine(blankBefore: false)
                        line += "{ }"
                    } else {
                        line += " { }"
                    }
                    previous = next
                    atStatementStart = true
                    return close
                }
                if line.trimmingCharacters(in: .whitespaces).isEmpty {
                    startLine(blankBefore: false)
                    line += "{"
                } else {
                    line += " {"
                }
                flush()
                depth += 1
                atBlockStart = true
                atStatementStart = true
                previous = token
                return index
            case .rbrace:
                flush()
                depth = max(0, depth - 1)
                atBlockStart = false
                line = indent + "}"
                atStatementStart = true
                previous = token
                return index
            default:
                break
            }
            if atStatementStart {
                startLine(blankBefore: gap >= 2)
                atStatementStart = false
            } else if line.trimmingCharacters(in: .whitespaces).isEmpty {
                // A continued list after a trailing comment.
                line = indent + "    "
            } else if afterComment || needsSpace(before: token) {
                line += " "
            }
            afterComment = false
            unaryMinus = isUnaryMinus(token)
            line += source(Int(token.start), Int(token.end))
            if token.kind == .lparen { parens += 1 }
            if token.kind == .rparen { parens = max(0, parens - 1) }
            previous = token
            return index
        }

        /// Unary minus is written against its operand (as the source had it:
        /// nothing between them, something before it); other operators get
        /// a space on each side.
        func isUnaryMinus(_ token: Token) -> Bool {
            guard token.kind == .minus else { return false }
            let after = Int(token.end) < bytes.count ? bytes[Int(token.end)] : 0x20
            let before = token.start > 0 ? bytes[Int(token.start) - 1] : 0x20
            let tight = after != 0x20 && after != 0x09 && after != 0x0A && after != 0x0D
            let open =
                before == 0x20 || before == 0x09 || before == 0x0A
                || [.lparen, .comma, .plus, .minus, .star, .slash, .percent, .dotdot].contains(previous?.kind)
            return tight && open
        }

        func needsSpace(before token: Token) -> Bool {
            guard let previous else { return false }
            switch token.kind {
            case .comma, .rparen, .dotdot: return false
            default: break
            }
            switch previous.kind {
            case .lparen, .dotdot: return false
            case .minus: return !unaryMinus
            default: return true
            }
        }
    }
}
