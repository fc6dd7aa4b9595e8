/// Junos names and strings, and the text and `set` forms of a configuration.
enum JunosText {
    /// The most a name or a description may hold.
    static let maxLength = 255

    /// Why `name` cannot be a Junos policy, term or group name;
    /// nil when it can (letters, digits, `-`, `_`, a letter or digit first).
    static func nameProblem(_ name: String) -> String? {
        if name.isEmpty { return "empty" }
        if name.utf8.count > maxLength { return "\(name.utf8.count) bytes; at most \(maxLength)" }
        if let bad = name.unicodeScalars.first(where: { !isNameCharacter($0) }) {
            return bad.properties.isWhitespace
                ? "holds white space" : "holds `\(bad)`; use letters, digits, `-` and `_`"
        }
        if name.hasPrefix("-") || name.hasPrefix("_") { return "starts with `\(name.first!)`" }
        return nil
    }

    static func isNameCharacter(_ c: Unicode.Scalar) -> Bool {
        ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c) || c == "-" || c == "_"
    }

    /// `value` as a Junos string: in double quotes, with `"` and `\`
    /// escaped by `\`. Nil when it holds a line break or another control
    /// character, which no Junos string carries.
    static func quoted(_ value: String) -> String? {
        var out = "\""
        for c in value.unicodeScalars {
            if c.value < 0x20 || c.value == 0x7F || (0x80...0x9F).contains(c.value) || c == "\u{2028}"
                || c == "\u{2029}"
            {
                return nil
            }
            if c == "\"" || c == "\\" { out.append("\\") }
            out.unicodeScalars.append(c)
        }
        return out + "\""
    }

    /// A `#` comment line's text: one line, whatever it is given.
    static func comment(_ text: String) -> String { CommentText.oneLine(text) }

    /// Lines as a file, each ended by a line break. The hierarchy is laid
    /// out by ``lines(_:)`` and ``commands(_:)`` from one statement tree:
    /// a logic-less template cannot recurse into it, so Junos has none.
    static func file(_ lines: [String]) -> String {
        lines.isEmpty ? "\n" : lines.map { $0 + "\n" }.joined()
    }

    // MARK: The curly-brace form

    /// The statements as indented lines, four spaces a level.
    static func lines(_ statements: [JunosStatement]) -> [String] {
        var out: [String] = []
        for s in statements { append(s, depth: 0, prefix: "", to: &out) }
        return out
    }

    /// `prefix` is the keywords of enclosing `.prefix` blocks.
    private static func append(_ statement: JunosStatement, depth: Int, prefix: String, to out: inout [String]) {
        let indent = String(repeating: "    ", count: depth)
        switch statement {
        case .block(_, _, let children, let layout, let replace):
            if replace { out.append(indent + "replace:") }
            if layout == .inline || children.isEmpty {
                out.append(indent + prefix + words(statement) + ";")
            } else if layout == .prefix {
                for c in children { append(c, depth: depth, prefix: prefix + head(statement) + " ", to: &out) }
            } else {
                out.append(indent + prefix + head(statement) + " {")
                for c in children { append(c, depth: depth + 1, prefix: "", to: &out) }
                out.append(indent + "}")
            }
        case .leaf, .flag, .entry:
            out.append(indent + prefix + words(statement) + ";")
        }
    }

    private static func head(_ statement: JunosStatement) -> String {
        guard case .block(let keyword, let key, _, _, _) = statement else { return words(statement) }
        return key.map { "\(keyword) \($0.value)" } ?? keyword
    }

    /// A statement on one line, without its `;`.
    private static func words(_ statement: JunosStatement) -> String {
        switch statement {
        case .block(_, _, let children, _, _):
            ([head(statement)] + children.map(words)).joined(separator: " ")
        case .leaf(let keyword, let value, let text):
            // Unquotable text never reaches here: the builder refused it.
            "\(keyword) \(text ? quoted(value) ?? "\"\"" : value)"
        case .flag(let keyword):
            keyword
        case .entry(let value, _):
            value
        }
    }

    // MARK: The `set` form

    /// `delete` commands for every replaced block, then one `set` command
    /// per leaf, as `load set` takes them.
    static func commands(_ statements: [JunosStatement]) -> [String] {
        var deletes: [String] = []
        var sets: [String] = []
        for s in statements { commands(s, path: [], deletes: &deletes, sets: &sets) }
        return deletes + sets
    }

    private static func commands(
        _ statement: JunosStatement, path: [String], deletes: inout [String], sets: inout [String]
    ) {
        switch statement {
        case .block(_, _, let children, let layout, let replace):
            let here = path + [head(statement)]
            if replace { deletes.append((["delete"] + here).joined(separator: " ")) }
            if layout == .inline || children.isEmpty {
                sets.append((["set"] + path + [words(statement)]).joined(separator: " "))
            } else {
                for c in children { commands(c, path: here, deletes: &deletes, sets: &sets) }
            }
        case .leaf, .flag, .entry:
            sets.append((["set"] + path + [words(statement)]).joined(separator: " "))
        }
    }
}
