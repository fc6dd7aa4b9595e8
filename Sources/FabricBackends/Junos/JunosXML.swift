/// The XML form: a NETCONF `<load-configuration>` body in Junos XML, laid
/// out as FoundationXML pretty-prints it through libxml2 (two spaces a
/// level, a leaf's text on its line, `<flag></flag>` for an empty element).
///
/// Written directly rather than through a FoundationXML tree: building,
/// serialising and then safely freeing ten thousand `XMLElement`s was most
/// of a large router's build. Every character of a value goes through
/// ``escaped(_:)``; the tests check the bytes against FoundationXML's own
/// serialisation and parse every golden document back.
enum JunosXML {
    /// `action` is `replace` for a configuration, `merge` for an overlay.
    static func document(_ statements: [JunosStatement], comment: String, action: String) -> String {
        var out = "<?xml version=\"1.0\" encoding=\"utf-8\" standalone=\"no\"?>\n"
        out += "<!-- " + commentText(comment) + " -->\n"
        out += "<load-configuration action=\"\(action)\" format=\"xml\">\n"
        write(.block("configuration", statements), depth: 1, to: &out)
        out += "</load-configuration>\n"
        return out
    }

    /// `--` cannot appear inside an XML comment; one pass over `---` would
    /// leave a new `--`, so repeat until none is left.
    static func commentText(_ text: String) -> String {
        var note = JunosText.comment(text)
        while note.contains("--") { note = note.replacingOccurrences(of: "--", with: "- -") }
        return note
    }

    /// `text` as XML character data: the characters libxml2 escapes in text
    /// (`&`, `<`, `>` and a carriage return) as references, everything else
    /// as it is, in UTF-8. (The only attributes are fabricc's constants.)
    static func escaped(_ text: String) -> String {
        guard
            text.utf8.contains(where: {
                $0 == UInt8(ascii: "&") || $0 == UInt8(ascii: "<") || $0 == UInt8(ascii: ">") || $0 == 0x0D
            })
        else { return text }
        var out = ""
        out.reserveCapacity(text.utf8.count + 16)
        for scalar in text.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\r": out += "&#13;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out
    }

    private static func write(_ statement: JunosStatement, depth: Int, to out: inout String) {
        let indent = indentation(depth)
        switch statement {
        case .block(let keyword, let key, let children, _, let replace):
            let open = replace ? keyword + " replace=\"replace\"" : keyword
            guard key != nil || !children.isEmpty else {
                out += indent + "<" + open + "></" + keyword + ">\n"
                return
            }
            out += indent + "<" + open + ">\n"
            if let key { leaf(key.element, key.value, depth: depth + 1, to: &out) }
            for child in children { write(child, depth: depth + 1, to: &out) }
            out += indent + "</" + keyword + ">\n"
        case .leaf(let keyword, let value, _):
            leaf(keyword, value, depth: depth, to: &out)
        case .flag(let keyword):
            out += indent + "<" + keyword + "></" + keyword + ">\n"
        case .entry(let value, let element):
            out += indent + "<" + element + ">\n"
            leaf("name", value, depth: depth + 1, to: &out)
            out += indent + "</" + element + ">\n"
        }
    }

    /// libxml2 indents two spaces a level, and stops deepening at 30 levels.
    private static func indentation(_ depth: Int) -> String {
        String(repeating: "  ", count: min(depth, 30))
    }

    private static func leaf(_ keyword: String, _ value: String, depth: Int, to out: inout String) {
        out += indentation(depth) + "<" + keyword + ">" + escaped(value) + "</" + keyword + ">\n"
    }
}
