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
        // `--` cannot appear inside an XML comment.
        let text = JunosText.comment(comment).replacingOccurrences(of: "--", with: "- -")
        document.insertChild(XMLNode.comment(withStringValue: " \(text) ") as! XMLNode, at: 0)
        return String(decoding: document.xmlData(options: [.nodePrettyPrint]), as: UTF8.self)
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
