import FabricDiagnostics
import FabricSyntax

/// A declaration after loop expansion and evaluation: one per generated
/// host, VM, pool… with its attributes' values computed.
public struct Instance: Sendable {
    public let keyword: String
    public let keywordSpan: Span
    public let name: Located<String>?
    public let span: Span
    /// The loop iteration that made it; nil outside loops.
    public let origin: LoopTrace?
    public var attributes: [AttributeInstance] = []
    public var children: [Instance] = []

    public func attribute(_ name: String) -> AttributeInstance? { attributes.first { $0.name == name } }
    public func all(_ name: String) -> [AttributeInstance] { attributes.filter { $0.name == name } }
}

/// `keyword values;` after evaluation.
public struct AttributeInstance: Sendable {
    public let name: String
    public let keywordSpan: Span
    public let span: Span
    /// Nil entries failed to evaluate (already reported).
    public let values: [Located<Value>?]
}
