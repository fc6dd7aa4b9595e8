/// The subset of the Language Server Protocol's types fabricc answers
/// with (LSP 3.17), as Codable values.
struct Position: Codable, Hashable, Sendable {
    var line: Int
    var character: Int
}

struct LSPRange: Codable, Hashable, Sendable {
    var start: Position
    var end: Position
}

struct Location: Codable, Hashable, Sendable {
    var uri: String
    var range: LSPRange
}

struct DiagnosticRelatedInformation: Codable, Sendable {
    var location: Location
    var message: String
}

struct LSPDiagnostic: Codable, Sendable {
    var range: LSPRange
    /// 1 error, 2 warning, 3 information.
    var severity: Int
    var code: String
    var source: String = "fabricc"
    var message: String
    var relatedInformation: [DiagnosticRelatedInformation]?
}

struct PublishDiagnosticsParams: Codable, Sendable {
    var uri: String
    var version: Int?
    var diagnostics: [LSPDiagnostic]
}

struct TextEdit: Codable, Sendable {
    var range: LSPRange
    var newText: String
}

struct MarkupContent: Codable, Sendable {
    var kind = "markdown"
    var value: String
}

struct Hover: Codable, Sendable {
    var contents: MarkupContent
    var range: LSPRange?
}

struct CompletionItem: Codable, Sendable {
    var label: String
    /// 14 keyword, 6 variable, 7 class (a block), 5 field (an attribute).
    var kind: Int
    var detail: String?
}

struct DocumentSymbol: Codable, Sendable {
    var name: String
    var detail: String?
    /// 2 module, 5 class, 13 variable, 7 property.
    var kind: Int
    var range: LSPRange
    var selectionRange: LSPRange
    var children: [DocumentSymbol]?
}

struct WorkspaceEdit: Codable, Sendable {
    var changes: [String: [TextEdit]]
}

/// A JSON-RPC request id: a number or a string.
enum RequestID: Codable, Hashable, Sendable {
    case number(Int)
    case string(String)

    init?(_ value: Any?) {
        if let n = value as? Int {
            self = .number(n)
        } else if let s = value as? String {
            self = .string(s)
        } else {
            return nil
        }
    }

    func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        switch self {
        case .number(let n): try c.encode(n)
        case .string(let s): try c.encode(s)
        }
    }

    init(from decoder: any Decoder) throws {
        let c = try decoder.singleValueContainer()
        if let n = try? c.decode(Int.self) { self = .number(n) } else { self = .string(try c.decode(String.self)) }
    }
}
