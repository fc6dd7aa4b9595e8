/// A stable diagnostic code such as `FAB1002`, with its default severity,
/// a one-line title and the long explanation `fabricc explain` prints.
///
/// Codes are never renumbered or reused: tools and users match on them.
/// Every code is listed in ``DiagnosticCatalogue/all``.
public struct DiagnosticCode: Sendable, Hashable, Comparable {
    public let id: String
    public let severity: Severity
    public let title: String
    public let explanation: String

    public init(_ id: String, _ severity: Severity, _ title: String, _ explanation: String) {
        self.id = id
        self.severity = severity
        self.title = title
        self.explanation = explanation
    }

    public static func == (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.id == b.id }
    public func hash(into h: inout Hasher) { h.combine(id) }
    public static func < (a: DiagnosticCode, b: DiagnosticCode) -> Bool { a.id < b.id }
}
