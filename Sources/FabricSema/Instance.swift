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

    // Index loops borrow the elements instead of copying each one: these run
    // for every attribute read of every generated declaration.
    public func attribute(_ name: String) -> AttributeInstance? {
        for k in attributes.indices where attributes[k].name == name { return attributes[k] }
        return nil
    }

    public func all(_ name: String) -> [AttributeInstance] { attributes.filter { $0.name == name } }

    /// The first value of the first `name` attribute, without copying the
    /// attribute.
    public func firstValue(_ name: String) -> Located<Value>? {
        for k in attributes.indices where attributes[k].name == name {
            return attributes[k].values.isEmpty ? nil : attributes[k].values[0]
        }
        return nil
    }
}

/// `keyword values;` after evaluation.
public struct AttributeInstance: Sendable {
    public let name: String
    public let keywordSpan: Span
    public let span: Span
    /// Nil entries failed to evaluate (already reported).
    public let values: [Located<Value>?]
}
