import Foundation
import FoundationXML

/// Reads each Junos form back into one common shape, so tests can prove the
/// three forms say the same thing: every statement as its whole path of
/// words (`protocols bgp group g neighbor 10.0.0.1 description <text>`),
/// and the blocks marked to be replaced.
struct JunosStatements: Equatable, CustomStringConvertible {
    var statements: [[String]] = []
    var replaced: [[String]] = []

    var description: String {
        (statements.map { $0.joined(separator: " ") } + replaced.map { "replace: " + $0.joined(separator: " ") })
            .joined(separator: "\n")
    }

    struct Malformed: Error, CustomStringConvertible { let description: String }

    // MARK: Curly-brace text

    static func text(_ source: String) throws -> JunosStatements {
        var out = JunosStatements()
        var path: [[String]] = []
        var words: [String] = []
        var replaceNext = false
        let tokens = try tokenize(source)
        var i = 0
        while i < tokens.count {
            let t = tokens[i]
            i += 1
            switch t {
            case .word("replace:") where words.isEmpty:
                replaceNext = true
            case .word(let w), .quoted(let w):
                words.append(w)
            case .open:
                guard !words.isEmpty else { throw Malformed(description: "`{` without a statement") }
                if replaceNext { out.replaced.append(path.flatMap { $0 } + words) }
                replaceNext = false
                path.append(words)
                words = []
            case .close:
                guard words.isEmpty, !path.isEmpty else { throw Malformed(description: "unbalanced `}`") }
                path.removeLast()
            case .semicolon:
                guard !words.isEmpty else { throw Malformed(description: "empty statement") }
                if replaceNext { out.replaced.append(path.flatMap { $0 } + words) }
                replaceNext = false
                out.statements.append(path.flatMap { $0 } + words)
                words = []
            }
        }
        guard path.isEmpty, words.isEmpty, !replaceNext else {
            throw Malformed(description: "unclosed block or statement")
        }
        return out
    }

    enum Token: Equatable {
        case word(String)
        case quoted(String)
        case open, close, semicolon
    }

    /// Junos text tokens: words, `"…"` with `\` escapes, `{ } ;`, `#` comments.
    static func tokenize(_ source: String) throws -> [Token] {
        var tokens: [Token] = []
        let s = Array(source.unicodeScalars)
        var i = 0
        while i < s.count {
            let c = s[i]
            if c == "#" {
                while i < s.count, s[i] != "\n" { i += 1 }
            } else if c.properties.isWhitespace {
                i += 1
            } else if c == "{" {
                tokens.append(.open)
                i += 1
            } else if c == "}" {
                tokens.append(.close)
                i += 1
            } else if c == ";" {
                tokens.append(.semicolon)
                i += 1
            } else if c == "\"" {
                var value = String.UnicodeScalarView()
                i += 1
                while true {
                    guard i < s.count else { throw Malformed(description: "unterminated string") }
                    if s[i] == "\"" {
                        i += 1
                        break
                    }
                    if s[i] == "\\" {
                        i += 1
                        guard i < s.count else { throw Malformed(description: "dangling escape") }
                    }
                    if s[i] == "\n" { throw Malformed(description: "line break in a string") }
                    value.append(s[i])
                    i += 1
                }
                tokens.append(.quoted(String(value)))
            } else {
                var word = String.UnicodeScalarView()
                while i < s.count, !s[i].properties.isWhitespace, !"{};\"".unicodeScalars.contains(s[i]) {
                    word.append(s[i])
                    i += 1
                }
                tokens.append(.word(String(word)))
            }
        }
        return tokens
    }

    // MARK: set commands

    static func set(_ source: String) throws -> JunosStatements {
        var out = JunosStatements()
        for line in source.split(separator: "\n", omittingEmptySubsequences: false) where !line.isEmpty {
            let tokens = try tokenize(String(line))
            let words: [String] = try tokens.map {
                switch $0 {
                case .word(let w), .quoted(let w): w
                default: throw Malformed(description: "`{`, `}` or `;` in a set command: \(line)")
                }
            }
            guard let verb = words.first, words.count > 1 else {
                throw Malformed(description: "short command: \(line)")
            }
            switch verb {
            case "set": out.statements.append(Array(words.dropFirst()))
            case "delete": out.replaced.append(Array(words.dropFirst()))
            default: throw Malformed(description: "unknown command: \(line)")
            }
        }
        return out
    }

    // MARK: XML

    /// Elements whose text is the key of their parent (`<name>`, …), and
    /// list members written as their key alone.
    static let keyElements: Set<String> = ["name", "address", "as-number", "limit-threshold", "timeout"]
    static let memberElements: Set<String> = ["prefix-list-item"]

    static func xml(_ source: String) throws -> JunosStatements {
        let document = try XMLDocument(xmlString: source, options: [])
        guard let root = document.rootElement(), root.name == "load-configuration",
            let configuration = root.elements(forName: "configuration").first
        else { throw Malformed(description: "no load-configuration/configuration") }
        var out = JunosStatements()
        for e in configuration.children?.compactMap({ $0 as? XMLElement }) ?? [] { walk(e, path: [], &out) }
        return out
    }

    private static func walk(_ e: XMLElement, path: [String], _ out: inout JunosStatements) {
        let name = e.name ?? ""
        let children = e.children?.compactMap { $0 as? XMLElement } ?? []
        if children.isEmpty {
            let text = e.stringValue ?? ""
            out.statements.append(path + (text.isEmpty ? [name] : [name, text]))
            return
        }
        var here = memberElements.contains(name) ? path : path + [name]
        var rest = children
        if let first = children.first, keyElements.contains(first.name ?? "") {
            here.append(first.stringValue ?? "")
            rest.removeFirst()
        }
        if e.attribute(forName: "replace")?.stringValue == "replace" { out.replaced.append(here) }
        if rest.isEmpty { out.statements.append(here) }
        for c in rest { walk(c, path: here, &out) }
    }
}
