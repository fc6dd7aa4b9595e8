import Foundation

/// GitHub-flavoured Markdown: the one escaping function for the docs
/// backend, and tables laid out from rows of plain text.
enum Markdown {
    /// `text` shown literally, inside a table cell or after other text on
    /// its line: every character GitHub's Markdown or HTML would read as
    /// syntax there is escaped, `|` too (a cell's end), and line breaks
    /// become spaces so a cell stays one row.
    ///
    /// By UTF-8 byte: everything it rewrites is ASCII, and no byte of a
    /// multi-byte sequence is. Text with nothing to rewrite (names,
    /// addresses: almost every cell) is returned as it is.
    static func text(_ text: String) -> String {
        guard text.utf8.contains(where: needsRewrite) else { return text }
        var out: [UInt8] = []
        out.reserveCapacity(text.utf8.count + 8)
        for b in text.utf8 {
            if b < 0x20 || b == 0x7F {
                out.append(UInt8(ascii: " "))
            } else {
                if needsRewrite(b) { out.append(UInt8(ascii: "\\")) }
                out.append(b)
            }
        }
        return String(decoding: out, as: UTF8.self)
    }

    /// Whether `b` is escaped (GitHub Markdown or HTML syntax in a cell) or
    /// becomes a space (a line break or another control character).
    private static func needsRewrite(_ b: UInt8) -> Bool {
        switch b {
        case UInt8(ascii: "\\"), UInt8(ascii: "`"), UInt8(ascii: "*"), UInt8(ascii: "_"), UInt8(ascii: "["),
            UInt8(ascii: "]"), UInt8(ascii: "#"), UInt8(ascii: "|"), UInt8(ascii: "<"), UInt8(ascii: ">"),
            UInt8(ascii: "~"), UInt8(ascii: "&"):
            // Never at a line's start here (always in a cell or after a
            // label), so `.`, `-` and `+` cannot open a list or heading.
            true
        default: b < 0x20 || b == 0x7F
        }
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
        out.reserveCapacity(rows.reduce(out.utf8.count * 2) { n, row in row.reduce(n + 2) { $0 + $1.utf8.count + 3 } })
        out += "|" + header.indices.map { numeric.contains($0) ? " ---: |" : " --- |" }.joined() + "\n"
        for row in rows {
            out += "|"
            for cell in row {
                out += " "
                out += cell.isEmpty ? " " : cell
                out += " |"
            }
            out += "\n"
        }
        return out
    }
}
