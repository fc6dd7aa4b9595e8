import FabricDiagnostics

@testable import FabricSyntax

/// Lexes `text` as file 0 and returns non-trivia tokens and diagnostics.
func lex(_ text: String) -> (tokens: [Token], diagnostics: [Diagnostic]) {
    Lexer.tokenize(Array(text.utf8), file: FileID(0))
}

/// The literal values of `text`, or nil where a literal was poisoned.
func literals(_ text: String) -> [LiteralValue?] {
    lex(text).tokens.compactMap { token in
        switch token.payload {
        case .literal(let v): v
        case .poisonedLiteral: nil as LiteralValue?
        default: Optional<LiteralValue?>.none
        }
    }
}

func codes(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.map(\.code.id) }

/// Parses `text` as one in-memory file.
func parse(_ text: String) -> (syntax: FileSyntax, diagnostics: [Diagnostic], sources: SourceMap) {
    var sources = SourceMap()
    let id = sources.add(displayPath: "main.fab", bytes: Array(text.utf8))
    let (syntax, diagnostics) = Parser.parse(sources[id])
    return (syntax, diagnostics, sources)
}
