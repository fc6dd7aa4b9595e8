/// The output formats for diagnostics.
public enum DiagnosticFormat: String, Sendable, CaseIterable {
    /// The multi-line form with source snippets and labels.
    case rich
    /// One line per diagnostic: `file:line:col: error[CODE]: message`.
    case short
    /// A JSON document for tools.
    case json
    /// SARIF 2.1.0, for code-scanning services.
    case sarif
    /// GitHub Actions workflow commands (`::error file=…::…`), as annotations.
    case github

    /// Printed on standard output as one document (or a stream of
    /// commands) for a machine: other output goes to standard error.
    public var isForMachines: Bool {
        switch self {
        case .rich, .short: false
        case .json, .sarif, .github: true
        }
    }
}

/// The diagnostics of one compilation with the sources they point into.
public struct DiagnosticBatch: Sendable {
    public let diagnostics: [Diagnostic]
    public let sources: SourceMap

    public init(diagnostics: [Diagnostic], sources: SourceMap) {
        self.diagnostics = diagnostics
        self.sources = sources
    }
}

/// Renders diagnostics in one ``DiagnosticFormat``.
public struct DiagnosticRenderer: Sendable {
    public let format: DiagnosticFormat
    public let colors: Bool

    /// fabricc's version, for the SARIF tool description.
    public let toolVersion: String
    /// The codes SARIF lists as the tool's rules: every stage's, backends
    /// included, when fabricc renders (``DiagnosticCatalogue/core`` knows
    /// only the stages below the backends).
    public let catalogue: DiagnosticCatalogue

    public init(
        format: DiagnosticFormat, colors: Bool = false, toolVersion: String = "",
        catalogue: DiagnosticCatalogue = .core
    ) {
        self.format = format
        self.colors = colors
        self.toolVersion = toolVersion
        self.catalogue = catalogue
    }

    /// Renders one compilation's diagnostics.
    public func render(_ diagnostics: [Diagnostic], sources: SourceMap, omittedErrors: Int = 0) -> String {
        render([DiagnosticBatch(diagnostics: diagnostics, sources: sources)], omittedErrors: omittedErrors)
    }

    /// Renders several compilations as one output: the rich form ends with
    /// one summary line, the JSON form is one document.
    public func render(_ batches: [DiagnosticBatch], omittedErrors: Int = 0) -> String {
        switch format {
        case .rich:
            let style = TerminalStyle(enabled: colors)
            var out = batches.map { RichRenderer(sources: $0.sources, style: style).render($0.diagnostics) }.joined()
            out += RichRenderer.summary(batches.flatMap(\.diagnostics), omitted: omittedErrors, style: style)
            return out
        case .short:
            return batches.map { ShortRenderer(sources: $0.sources).render($0.diagnostics) }.joined()
        case .json:
            return JSONRenderer.render(batches, omitted: omittedErrors)
        case .sarif:
            return SARIFRenderer(toolVersion: toolVersion, catalogue: catalogue).render(batches)
        case .github:
            return batches.map { GitHubRenderer(sources: $0.sources).render($0.diagnostics) }.joined()
        }
    }
}
