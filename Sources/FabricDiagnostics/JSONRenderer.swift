import Foundation

/// A stable JSON document: `{"diagnostics": [...], "errors": N, "warnings": N}`.
struct JSONRenderer {
    let sources: SourceMap

    static func render(_ batches: [DiagnosticBatch], omitted: Int) -> String {
        let all = batches.flatMap { JSONRenderer(sources: $0.sources).records($0.diagnostics) }
        let diagnostics = batches.flatMap(\.diagnostics)
        let doc = Document(
            version: 1, diagnostics: all, errors: diagnostics.errorCount + omitted,
            warnings: diagnostics.warningCount, omittedErrors: omitted)
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(doc) else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    struct Position: Encodable {
        let file: String
        let line: Int
        let column: Int
        let endLine: Int
        let endColumn: Int
    }

    struct JSONLabel: Encodable {
        let span: Position
        let message: String
    }

    struct JSONDiagnostic: Encodable {
        let code: String
        let severity: String
        let message: String
        let span: Position
        let label: String
        let labels: [JSONLabel]
        let notes: [String]
        let help: String?
        let includedFrom: [Position]
    }

    struct Document: Encodable {
        let version: Int
        let diagnostics: [JSONDiagnostic]
        let errors: Int
        let warnings: Int
        let omittedErrors: Int
    }

    func position(_ span: Span) -> Position {
        let file = sources[span.file]
        let a = file.location(of: span.start)
        let b = file.location(of: span.end)
        return Position(file: file.displayPath, line: a.line, column: a.column, endLine: b.line, endColumn: b.column)
    }

    func records(_ diagnostics: [Diagnostic]) -> [JSONDiagnostic] {
        diagnostics.map { d in
            JSONDiagnostic(
                code: d.code.id, severity: d.severity.rawValue, message: d.message,
                span: position(d.primary.span), label: d.primary.message,
                labels: d.secondary.map { JSONLabel(span: position($0.span), message: $0.message) },
                notes: d.notes, help: d.help,
                includedFrom: sources.includeChain(of: d.primary.span.file).map(position)
            )
        }
    }
}
