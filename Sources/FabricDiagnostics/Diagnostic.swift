/// How serious a diagnostic is.
public enum Severity: String, Sendable, Codable, Comparable {
    case error
    case warning
    case note

    private var rank: Int {
        switch self {
        case .error: 0
        case .warning: 1
        case .note: 2
        }
    }

    public static func < (a: Severity, b: Severity) -> Bool { a.rank < b.rank }
}

/// A span with a short message printed under it.
public struct Label: Sendable, Hashable {
    public let span: Span
    public let message: String

    public init(_ span: Span, _ message: String = "") {
        self.span = span
        self.message = message
    }
}

/// One finding about the input: data only, rendering is separate.
///
/// Build one with the code's default severity and refine it:
/// ```swift
/// Diagnostic(.unknownKeyword, at: span, "unknown keyword `hots`")
///     .labelled("not a keyword inside `fabric`")
///     .help("did you mean `host`?")
/// ```
public struct Diagnostic: Sendable, Hashable {
    public let code: DiagnosticCode
    public var severity: Severity
    public var message: String
    public var primary: Label
    public var secondary: [Label]
    public var notes: [String]
    public var help: String?

    public init(_ code: DiagnosticCode, at span: Span, _ message: String) {
        self.code = code
        self.severity = code.severity
        self.message = message
        self.primary = Label(span)
        self.secondary = []
        self.notes = []
        self.help = nil
    }

    /// Sets the message printed under the primary span.
    public func labelled(_ message: String) -> Diagnostic {
        var d = self
        d.primary = Label(primary.span, message)
        return d
    }

    /// Adds a secondary label pointing at another party of the finding.
    public func label(_ span: Span, _ message: String) -> Diagnostic {
        var d = self
        d.secondary.append(Label(span, message))
        return d
    }

    public func note(_ text: String) -> Diagnostic {
        var d = self
        d.notes.append(text)
        return d
    }

    public func help(_ text: String?) -> Diagnostic {
        var d = self
        d.help = text
        return d
    }

    public func severity(_ severity: Severity) -> Diagnostic {
        var d = self
        d.severity = severity
        return d
    }

    public var isError: Bool { severity == .error }
}

extension Array where Element == Diagnostic {
    /// Sorted by file, position, then code, so output order never depends on
    /// the order checks ran in.
    public func sortedForOutput() -> [Diagnostic] {
        enumerated().sorted { a, b in
            let x = a.element
            let y = b.element
            if x.primary.span != y.primary.span { return x.primary.span < y.primary.span }
            if x.code.id != y.code.id { return x.code.id < y.code.id }
            return a.offset < b.offset
        }.map(\.element)
    }

    public var errorCount: Int { reduce(0) { $0 + ($1.severity == .error ? 1 : 0) } }
    public var warningCount: Int { reduce(0) { $0 + ($1.severity == .warning ? 1 : 0) } }
}

extension Diagnostic {
    /// The same diagnostic with every span in file `old` moved to file
    /// `new`: for a file read before its place in the ``SourceMap`` was known.
    public func moving(_ old: FileID, to new: FileID) -> Diagnostic {
        func move(_ l: Label) -> Label {
            l.span.file == old ? Label(Span(file: new, start: l.span.start, end: l.span.end), l.message) : l
        }
        var d = self
        d.primary = move(primary)
        d.secondary = secondary.map(move)
        return d
    }
}
