import Foundation
import FoundationXML

/// The XML form: a NETCONF `<load-configuration>` body in Junos XML, built
/// through libxml2 so every character of a value is escaped by the library.
enum JunosXML {
    static func document(_ statements: [JunosStatement], comment: String) -> String {
        let root = XMLElement(name: "load-configuration")
        root.addAttribute(attribute("action", "replace"))
        root.addAttribute(attribute("format", "xml"))
        let configuration = XMLElement(name: "configuration")
        for s in statements { configuration.addChild(element(s)) }
        root.addChild(configuration)
        let document = XMLDocument(rootElement: root)
        document.version = "1.0"
        document.characterEncoding = "UTF-8"
        document.insertChild(XMLNode.comment(withStringValue: " \(commentText(comment)) ") as! XMLNode, at: 0)
        let text = String(decoding: document.xmlData(options: [.nodePrettyPrint]), as: UTF8.self)
        dismantle(document)
        return text
    }

    /// swift-corelibs-foundation frees each wrapped libxml2 node in its
    /// `deinit`, and `xmlFreeNode` also frees the node's children; the order in
    /// which Swift releases the children (a `Set`) varies per run, so a child
    /// can be freed twice and the process crashes at random. Unlinking every
    /// node, children first, leaves each wrapper owning exactly one node.
    private static func dismantle(_ node: XMLNode) {
        for child in node.children ?? [] { dismantle(child) }
        if node.kind != .document { node.detach() }
    }

    /// `--` cannot appear inside an XML comment; one pass over `---` would
    /// leave a new `--`, so repeat until none is left.
    static func commentText(_ text: String) -> String {
        var note = JunosText.comment(text)
        while note.contains("--") { note = note.replacingOccurrences(of: "--", with: "- -") }
        return note
    }

    private static func element(_ statement: JunosStatement) -> XMLElement {
        switch statement {
        case .block(let keyword, let key, let children, _, let replace):
            let e = XMLElement(name: keyword)
            if replace { e.addAttribute(attribute("replace", "replace")) }
            if let key { e.addChild(XMLElement(name: key.element, stringValue: key.value)) }
            for c in children { e.addChild(element(c)) }
            return e
        case .leaf(let keyword, let value, _):
            return XMLElement(name: keyword, stringValue: value)
        case .flag(let keyword):
            return XMLElement(name: keyword)
        case .entry(let value, let name):
            let e = XMLElement(name: name)
            e.addChild(XMLElement(name: "name", stringValue: value))
            return e
        }
    }

    private static func attribute(_ name: String, _ value: String) -> XMLNode {
        XMLNode.attribute(withName: name, stringValue: value) as! XMLNode
    }
}
