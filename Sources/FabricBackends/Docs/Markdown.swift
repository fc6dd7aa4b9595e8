import Foundation

/// GitHub-flavoured Markdown: the one escaping function for the docs
/// backend, and tables laid out from rows of plain text.
enum Markdown {
    /// `text` shown literally, inside a table cell or after other text on
    /// its line: every character GitHub's Markdown or HTML would read as
    /// syntax there is escaped, `|` too (a cell's end), and line breaks
    /// become spaces so a cell stays one row.
    static func text(_ text: String) -> String {
        var out = ""
        for u in text.unicodeScalars {
            switch u {
            case "\\", "`", "*", "_", "[", "]", "#", "|", "<", ">", "~", "&":
                // Never at a line's start here (always in a cell or after a
                // label), so `.`, `-` and `+` cannot open a list or heading.
                out += "\\"
                out.unicodeScalars.append(u)
            case "\n", "\r", "\t": out += " "
            case _ where u.value < 0x20 || u.value == 0x7F: out += " "
            default: out.unicodeScalars.append(u)
            }
        }
        return out
    }

    /// An HTML comment holding `text` on one line: unsafe characters become
    /// spaces (``CommentText``) and `--`, which would end the comment, is
    /// broken up.
    static func comment(_ text: String) -> String {
        var body = CommentText.oneLine(text)
        while body.contains("--") { body = body.replacingOccurrences(of: "--", with: "- -") }
        if body.hasSuffix("-") { body += " " }
        return "<!-- \(body) -->"
    }

    /// A link to a relative path; the label escaped, the path percent-encoded.
    static func link(_ label: String, _ path: String) -> String {
        var encoded = ""
        for b in path.utf8 {
            let c = Character(UnicodeScalar(b))
            if (c.isASCII && (c.isLetter || c.isNumber)) || "-_./~".contains(c) {
                encoded.append(c)
            } else {
                encoded += "%" + (b < 16 ? "0" : "") + String(b, radix: 16, uppercase: true)
            }
        }
        return "[\(text(label))](\(encoded))"
    }

    /// A table: a header row, the alignment row, then one row per entry;
    /// cells are Markdown already (escaped by the caller).
    static func table(_ header: [String], _ rows: [[String]], numeric: Set<Int> = []) -> String {
        var out = "| " + header.joined(separator: " | ") + " |\n"
        out += "|" + header.indices.map { numeric.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
        for row in rows { out += "| " + row.map { $0.isEmpty ? " " : $0 }.joined(separator: " | ") + " |\n" }
        return out
    }
}
