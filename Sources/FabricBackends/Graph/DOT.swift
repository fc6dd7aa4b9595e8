/// Graphviz DOT text: the one escaping function for the target, and a
/// small graph model that lays itself out as sorted, deterministic DOT.
public enum DOT {
    /// A DOT quoted string (`"…"`) holding `text` literally: quotes and
    /// backslashes escaped (a backslash would start `\n`, `\l` or `\N` in a
    /// label), `&` as `&amp;` (Graphviz reads entities in labels), line
    /// breaks and other control characters shown as a space, so no input
    /// can end the string or the statement, or show other text.
    public static func quoted(_ text: String) -> String {
        var out = "\""
        for u in text.unicodeScalars {
            switch u {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            // Graphviz reads `&name;` in a label as an entity: `&amp;` would show as `&`.
            case "&": out += "&amp;"
            case _ where u.value < 0x20 || u.value == 0x7F || (u.value >= 0x80 && u.value < 0xA0): out += " "
            default: out.unicodeScalars.append(u)
            }
        }
        return out + "\""
    }

    /// A label of several lines: each escaped, joined by DOT's centred line break.
    public static func label(_ lines: [String]) -> String {
        "\"" + lines.map { String(quoted($0).dropFirst().dropLast()) }.joined(separator: "\\n") + "\""
    }
}

/// An undirected graph with attributes, nested clusters and no layout of
/// its own: Graphviz lays it out.
public struct DOTGraph: Sendable {
    public struct Node: Sendable {
        public var id: String
        public var label: [String]
        public var attributes: [String: String] = [:]
        public init(id: String, label: [String], attributes: [String: String] = [:]) {
            self.id = id
            self.label = label
            self.attributes = attributes
        }
    }

    public struct Edge: Sendable {
        public var from: String
        public var to: String
        public var label: [String] = []
        public var attributes: [String: String] = [:]
        public init(from: String, to: String, label: [String] = [], attributes: [String: String] = [:]) {
            self.from = from
            self.to = to
            self.label = label
            self.attributes = attributes
        }
    }

    /// A `subgraph cluster_…`: a box around its nodes.
    public struct Cluster: Sendable {
        public var id: String
        public var label: String
        public var nodes: [Node] = []
        public var clusters: [Cluster] = []
        public var attributes: [String: String] = [:]
        public init(id: String, label: String, nodes: [Node] = [], clusters: [Cluster] = []) {
            self.id = id
            self.label = label
            self.nodes = nodes
            self.clusters = clusters
        }
    }

    public var name: String
    public var label: String
    public var nodes: [Node] = []
    public var edges: [Edge] = []
    public var clusters: [Cluster] = []

    public init(name: String, label: String) {
        self.name = name
        self.label = label
    }

    /// Every node, clusters included.
    public var allNodes: [Node] {
        func walk(_ c: Cluster) -> [Node] { c.nodes + c.clusters.flatMap(walk) }
        return nodes + clusters.flatMap(walk)
    }

    /// The DOT text: attributes sorted, nodes and clusters by id, edges by
    /// their ends and label, so the same graph is the same bytes.
    public func render() -> String {
        var out = "graph \(DOT.quoted(name)) {\n"
        out += "    graph [fontname=\"Helvetica\", fontsize=11, label=\(DOT.quoted(label)), labelloc=t, "
        out += "newrank=true, nodesep=0.3, ranksep=0.8, rankdir=TB];\n"
        out += "    node [fontname=\"Helvetica\", fontsize=10, shape=box, style=\"rounded\"];\n"
        out += "    edge [fontname=\"Helvetica\", fontsize=9];\n"
        for c in clusters.sorted(by: { $0.id < $1.id }) { out += Self.render(c, indent: "    ") }
        for n in nodes.sorted(by: { $0.id < $1.id }) { out += Self.render(n, indent: "    ") }
        let sorted = edges.sorted {
            ($0.from, $0.to, $0.label.joined(separator: "\n")) < ($1.from, $1.to, $1.label.joined(separator: "\n"))
        }
        for e in sorted {
            var attributes = e.attributes
            if !e.label.isEmpty { attributes["label"] = DOT.label(e.label) }
            out += "    \(DOT.quoted(e.from)) -- \(DOT.quoted(e.to))\(Self.list(attributes));\n"
        }
        return out + "}\n"
    }

    static func render(_ n: Node, indent: String) -> String {
        var attributes = n.attributes
        attributes["label"] = DOT.label(n.label)
        return "\(indent)\(DOT.quoted(n.id))\(list(attributes));\n"
    }

    static func render(_ c: Cluster, indent: String) -> String {
        var out = "\(indent)subgraph \(DOT.quoted("cluster_" + c.id)) {\n"
        var attributes = c.attributes
        attributes["label"] = DOT.quoted(c.label)
        for (k, v) in attributes.sorted(by: { $0.key < $1.key }) { out += "\(indent)    \(k)=\(v);\n" }
        for sub in c.clusters.sorted(by: { $0.id < $1.id }) { out += render(sub, indent: indent + "    ") }
        for n in c.nodes.sorted(by: { $0.id < $1.id }) { out += render(n, indent: indent + "    ") }
        return out + "\(indent)}\n"
    }

    /// ` [a=1, b="x"]`; values are already DOT (quoted where needed).
    static func list(_ attributes: [String: String]) -> String {
        attributes.isEmpty
            ? ""
            : " [" + attributes.sorted { $0.key < $1.key }.map { "\($0.key)=\($0.value)" }.joined(separator: ", ") + "]"
    }
}
