/// A logic-less template, parsed once: the Mustache subset the backends'
/// templates use.
///
/// - `{{name}}` and `{{{name}}}` write a value as plain text (the templates
///   declare `{{% CONTENT_TYPE: TEXT}}`, so there is no HTML escaping);
///   `{{.}}` writes the value on top of the context stack.
/// - `{{#name}}…{{/name}}` and `{{^name}}…{{/name}}` are sections and
///   inverted sections; `{{! …}}` is a comment.
/// - A line holding only one section, comment or pragma tag and spaces is
///   "standalone" and leaves no trace in the output, as the Mustache spec
///   says.
///
/// Partials, dotted names, lambdas, changed delimiters and sections whose
/// open and close tags are not alike (both standalone or both inline) are
/// refused when the template is parsed, so a template cannot silently mean
/// something else than it would to swift-mustache.
struct Template: Sendable {
    indirect enum Part: Sendable {
        case text(String)
        case variable(Name)
        case section(Name, [Part])
        case invertedSection(Name, [Part])
    }

    /// A variable or section name: the current value or a named one.
    enum Name: Equatable, Sendable {
        case current
        case named(String)
    }

    /// A template that cannot be parsed, with the 1-based line.
    struct ParseError: Error, CustomStringConvertible {
        let line: Int
        let message: String
        var description: String { "line \(line): \(message)" }
    }

    let parts: [Part]

    init(_ text: String) throws {
        var parser = TemplateParser(text)
        parts = try parser.parse()
    }
}

/// Reads a template line by line, so that standalone lines are recognised
/// the way the Mustache spec defines them.
private struct TemplateParser {
    private enum Piece {
        case text(Substring)
        case tag(Tag)
    }

    private enum Tag {
        case variable(Template.Name)
        case open(Template.Name, inverted: Bool)
        case close(Template.Name)
        case comment
        case pragma

        /// Whether the tag may stand alone on a line and take it along.
        var canStandAlone: Bool {
            switch self {
            case .variable: false
            case .open, .close, .comment, .pragma: true
            }
        }
    }

    private struct Open {
        let name: Template.Name
        let inverted: Bool
        let line: Int
        let standalone: Bool
        var parts: [Template.Part] = []
    }

    private let text: String
    private var open: [Open] = []
    private var parts: [Template.Part] = []

    init(_ text: String) { self.text = text }

    mutating func parse() throws -> [Template.Part] {
        var lineNumber = 0
        var rest = text[...]
        while !rest.isEmpty {
            lineNumber += 1
            let end = rest.firstIndex { $0 == "\n" || $0 == "\r\n" }.map { rest.index(after: $0) } ?? rest.endIndex
            try take(line: rest[..<end], number: lineNumber)
            rest = rest[end...]
        }
        if let unclosed = open.last {
            throw Template.ParseError(line: unclosed.line, message: "section `\(unclosed.name)` is never closed")
        }
        return parts
    }

    private mutating func take(line: Substring, number: Int) throws {
        let pieces = try Self.pieces(of: line, number: number)
        var tags = pieces.compactMap { if case .tag(let tag) = $0 { tag } else { nil } }
        let blank = pieces.allSatisfy {
            if case .text(let text) = $0 {
                text.allSatisfy { $0 == " " || $0 == "\t" || $0 == "\n" || $0 == "\r\n" }
            } else {
                true
            }
        }
        // A last line without a line break stands alone only if nothing at
        // all follows the tag (swift-mustache keeps trailing spaces there).
        let unterminated = line.last != "\n" && line.last != "\r\n"
        let trailing = if case .text? = pieces.last { true } else { false }
        if tags.count == 1, blank, tags[0].canStandAlone, !(unterminated && trailing) {
            try apply(tags.removeFirst(), number: number, standalone: true)
            return
        }
        for piece in pieces {
            switch piece {
            case .text(let text): append(.text(String(text)))
            case .tag(let tag): try apply(tag, number: number, standalone: false)
            }
        }
    }

    private mutating func apply(_ tag: Tag, number: Int, standalone: Bool) throws {
        switch tag {
        case .variable(let name):
            append(.variable(name))
        case .open(let name, let inverted):
            open.append(Open(name: name, inverted: inverted, line: number, standalone: standalone))
        case .close(let name):
            guard let section = open.popLast() else {
                throw Template.ParseError(line: number, message: "`\(name)` closes no open section")
            }
            guard section.name == name else {
                throw Template.ParseError(
                    line: number, message: "`\(name)` closes section `\(section.name)` opened on line \(section.line)")
            }
            // Other Mustache engines differ on the lines after such a
            // section (swift-mustache carries "standalone" over from the
            // open tag); refusing it keeps every template unambiguous.
            guard section.standalone == standalone else {
                throw Template.ParseError(
                    line: number,
                    message:
                        "section `\(name)` opened on line \(section.line) must open and close alike: each tag alone on its line, or both inside text"
                )
            }
            append(section.inverted ? .invertedSection(name, section.parts) : .section(name, section.parts))
        case .comment, .pragma:
            break
        }
    }

    private mutating func append(_ part: Template.Part) {
        if open.isEmpty {
            parts.append(part)
        } else {
            open[open.count - 1].parts.append(part)
        }
    }

    /// The text and tags of one line; a tag must end on the line it starts.
    private static func pieces(of line: Substring, number: Int) throws -> [Piece] {
        var pieces: [Piece] = []
        var rest = line
        while let start = rest.range(of: "{{") {
            if start.lowerBound > rest.startIndex { pieces.append(.text(rest[..<start.lowerBound])) }
            let triple = rest[start.upperBound...].hasPrefix("{")
            let close = triple ? "}}}" : "}}"
            let bodyStart = triple ? rest.index(after: start.upperBound) : start.upperBound
            guard let end = rest[bodyStart...].range(of: close) else {
                throw Template.ParseError(line: number, message: "a tag is not closed with `\(close)` on its line")
            }
            pieces.append(.tag(try tag(rest[bodyStart..<end.lowerBound], triple: triple, number: number)))
            rest = rest[end.upperBound...]
        }
        if !rest.isEmpty { pieces.append(.text(rest)) }
        return pieces
    }

    private static func tag(_ body: Substring, triple: Bool, number: Int) throws -> Tag {
        let sigil = body.first
        if triple { return .variable(try name(body, number: number)) }
        switch sigil {
        case "#": return .open(try name(body.dropFirst(), number: number), inverted: false)
        case "^": return .open(try name(body.dropFirst(), number: number), inverted: true)
        case "/": return .close(try name(body.dropFirst(), number: number))
        case "!": return .comment
        case "&": return .variable(try name(body.dropFirst(), number: number))
        case "%":
            let words = body.dropFirst().split(separator: ":").map { $0.trimmingSpaces }
            guard words.count == 2, words[0] == "CONTENT_TYPE", words[1] == "TEXT" else {
                throw Template.ParseError(
                    line: number, message: "the only pragma is `{{% CONTENT_TYPE: TEXT}}`, not `\(body)`")
            }
            return .pragma
        case ">", "<", "$", "=":
            throw Template.ParseError(
                line: number, message: "`{{\(body)}}`: partials, blocks and delimiter changes are not supported")
        default:
            return .variable(try name(body, number: number))
        }
    }

    private static func name(_ text: Substring, number: Int) throws -> Template.Name {
        let name = text.trimmingSpaces
        if name == "." { return .current }
        guard !name.isEmpty, name.allSatisfy({ $0.isASCII && ($0.isLetter || $0.isNumber || $0 == "_" || $0 == "-") })
        else {
            throw Template.ParseError(
                line: number, message: "`\(name)` is not a plain name (dotted names and transforms are not supported)")
        }
        return .named(String(name))
    }
}

extension Substring {
    fileprivate var trimmingSpaces: Substring {
        let start = firstIndex { $0 != " " && $0 != "\t" } ?? endIndex
        let end = lastIndex { $0 != " " && $0 != "\t" }.map { index(after: $0) } ?? start
        return self[start..<Swift.max(start, end)]
    }
}

extension Template.Name: CustomStringConvertible {
    var description: String {
        switch self {
        case .current: "."
        case .named(let name): name
        }
    }
}
