import Yams

/// Kubernetes YAML through Yams (libyaml), for the Antrea and Calico
/// backends: the one escaping of both. Every string value goes through
/// ``string(_:)``, double-quoted, so a YAML 1.1 reader (Kubernetes) cannot
/// read `no`, `on` or `0100` as anything but a string; keys are fabricc's
/// own constant names.
enum KubernetesYAML {
    static let pipelineLabel = ("app.kubernetes.io/managed-by", "fabricc")

    /// The one way a string value is written.
    static func string(_ value: String) -> Node { Node(value, .implicit, .doubleQuoted) }
    static func integer(_ value: Int) -> Node { Node(String(value), .implicit, .plain) }
    static func boolean(_ value: Bool) -> Node { Node(value ? "true" : "false", .implicit, .plain) }
    static func map(_ pairs: [(String, Node)]) -> Node {
        .mapping(Node.Mapping(pairs.map { (Node($0.0, .implicit, .plain), $0.1) }))
    }

    static func list(_ items: [Node]) -> Node { .sequence(Node.Sequence(items)) }

    /// Documents separated by `---`, after a comment header.
    static func documents(_ nodes: [Node], header: [String]) -> String {
        let body =
            nodes.isEmpty
            ? "" : serialized { try Yams.serialize(nodes: nodes, width: -1, allowUnicode: true, explicitStart: true) }
        return header.map { "# \(comment($0))\n" }.joined() + body
    }

    /// libyaml's text for nodes fabricc built. It fails only on a node
    /// libyaml cannot emit, which is fabricc's bug: stop, rather than write
    /// an empty file that `kubectl apply` would take as "nothing".
    static func serialized(_ body: () throws -> String) -> String {
        do { return try body() } catch {
            preconditionFailure("fabricc: libyaml could not write a generated document: \(error)")
        }
    }

    /// A `#` comment's text: one line for a YAML 1.1 reader, which also
    /// breaks lines at NEL, U+2028 and U+2029 and refuses C0 and C1
    /// controls anywhere in the stream.
    static func comment(_ text: String) -> String { CommentText.oneLine(text) }

    static func metadata(_ name: String, namespace: String? = nil, annotations: [(String, String)] = []) -> Node {
        var pairs: [(String, Node)] = [("name", string(name))]
        if let namespace { pairs.append(("namespace", string(namespace))) }
        pairs.append(("labels", map([(pipelineLabel.0, string(pipelineLabel.1))])))
        if !annotations.isEmpty { pairs.append(("annotations", map(annotations.map { ($0.0, string($0.1)) }))) }
        return map(pairs)
    }
}
