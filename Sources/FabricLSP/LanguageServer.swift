import FabricBackends
import FabricBase
import FabricDiagnostics
import FabricDriver
import FabricSema
import FabricSyntax
import Foundation

/// `fabricc lsp`: a language server over standard input and output.
///
/// Messages are read on one thread and handled in order on another. Edits
/// are debounced by the queue itself: a check runs only once no message is
/// waiting, so a burst of keystrokes costs one check. It writes nowhere
/// but standard output, and answers anything malformed with an error or
/// nothing.
public final class LanguageServer: @unchecked Sendable {
    let writer: MessageWriter
    var reader: MessageReader
    let lock = NSCondition()
    var queue: [MessageReader.Next] = []
    /// Open documents by path: their text and version.
    var documents: [String: (text: [UInt8], version: Int)] = [:]
    /// The last analysis of each entry: an open file no other open file includes.
    var analyses: [String: Analysis] = [:]
    /// Files diagnostics were last published for, so fixed ones are cleared.
    var published = Set<String>()
    var dirty = false
    var shutdown = false

    public init(input: Int32 = 0, output: Int32 = 1) {
        reader = MessageReader(fd: input)
        writer = MessageWriter(fd: output)
    }

    /// Serves until `exit` or the end of input; returns the exit status.
    public func run() -> Int32 {
        let thread = Thread { [self] in
            while true {
                let next = reader.next()
                lock.lock()
                queue.append(next)
                lock.signal()
                lock.unlock()
                if case .end = next { return }
            }
        }
        thread.start()
        while true {
            lock.lock()
            while queue.isEmpty { lock.wait() }
            let next = queue.removeFirst()
            let more = !queue.isEmpty
            lock.unlock()
            switch next {
            case .end: return shutdown ? 0 : 1
            case .malformed(let why): respondError(nil, -32700, "cannot read the message: \(why)")
            case .message(let data):
                if let status = handle(data) { return status }
            }
            if dirty && !more {
                dirty = false
                check()
            }
        }
    }

    // MARK: messages

    /// Handles one message; a status when the server should exit.
    func handle(_ data: Data) -> Int32? {
        guard let object = try? JSONSerialization.jsonObject(with: data), let message = object as? [String: Any] else {
            respondError(nil, -32700, "not a JSON object")
            return nil
        }
        let id = RequestID(message["id"])
        guard let method = message["method"] as? String else {
            if id == nil { respondError(nil, -32600, "neither a request nor a notification") }
            return nil  // a response to a request of ours: none are sent
        }
        let params = message["params"] as? [String: Any] ?? [:]
        switch method {
        case "initialize": respond(id, InitializeResult())
        case "initialized", "$/setTrace", "$/cancelRequest", "workspace/didChangeConfiguration": break
        case "shutdown":
            shutdown = true
            respond(id, Optional<Int>.none)
        case "exit": return shutdown ? 0 : 1
        case "textDocument/didOpen":
            if let doc = params["textDocument"] as? [String: Any],
                let path = (doc["uri"] as? String).flatMap(URIs.path),
                let text = doc["text"] as? String
            {
                documents[path] = (Array(text.utf8), doc["version"] as? Int ?? 0)
                dirty = true
            }
        case "textDocument/didChange":
            if let doc = params["textDocument"] as? [String: Any],
                let path = (doc["uri"] as? String).flatMap(URIs.path),
                let changes = params["contentChanges"] as? [[String: Any]], documents[path] != nil
            {
                for change in changes {
                    guard let text = change["text"] as? String else { continue }
                    if let r = change["range"] as? [String: Any], let range = Self.range(r) {
                        apply(path, range, text)
                    } else {
                        documents[path]!.text = Array(text.utf8)
                    }
                }
                documents[path]!.version = doc["version"] as? Int ?? documents[path]!.version
                dirty = true
            }
        case "textDocument/didClose":
            if let path = Self.path(params) {
                documents[path] = nil
                dirty = true
            }
        case "textDocument/didSave": dirty = true
        default:
            guard let id else { return nil }  // unknown notifications are ignored
            if dirty {
                dirty = false
                check()
            }
            answer(id, method, params)
        }
        return nil
    }

    func answer(_ id: RequestID, _ method: String, _ params: [String: Any]) {
        guard let path = Self.path(params) else {
            if method.hasPrefix("textDocument/") {
                respondError(id, -32602, "params.textDocument.uri is missing or not a file URI")
            } else {
                respondError(id, -32601, "fabricc does not answer \(method)")
            }
            return
        }
        let position = (params["position"] as? [String: Any]).flatMap(Self.position)
        let features = Features(server: self, path: path)
        switch method {
        case "textDocument/formatting": respond(id, features.formatting())
        case "textDocument/documentSymbol": respond(id, features.symbols())
        case "textDocument/hover": respond(id, position.flatMap(features.hover))
        case "textDocument/definition": respond(id, position.flatMap(features.definition))
        case "textDocument/references":
            let withDeclaration = (params["context"] as? [String: Any])?["includeDeclaration"] as? Bool ?? true
            respond(id, position.map { features.references($0, declaration: withDeclaration) } ?? [])
        case "textDocument/completion": respond(id, position.map(features.completion) ?? [])
        case "textDocument/rename":
            guard let position, let name = params["newName"] as? String else {
                respondError(id, -32602, "rename needs a position and newName")
                return
            }
            switch features.rename(position, to: name) {
            case .success(let edit): respond(id, edit)
            case .failure(let why): respondError(id, -32803, why.description)
            }
        case "textDocument/prepareRename":
            respond(id, position.flatMap(features.renameRange))
        default: respondError(id, -32601, "fabricc does not answer \(method)")
        }
    }

    func apply(_ path: String, _ range: LSPRange, _ text: String) {
        let bytes = documents[path]!.text
        let file = SourceFile(id: FileID(0), displayPath: path, bytes: bytes)
        let a = Int(Positions.offset(file, range.start))
        let b = max(a, Int(Positions.offset(file, range.end)))
        documents[path]!.text.replaceSubrange(a..<b, with: Array(text.utf8))
    }

    /// One message handled as if it had been read, answers discarded: for
    /// the fuzz harness, which feeds the handler arbitrary bytes.
    public func handleForFuzzing(_ message: Data) {
        _ = handle(message)
        if dirty {
            dirty = false
            check()
        }
    }

    /// The check an edit costs, on `text` as the open file `path`: for the
    /// benchmark. Returns how many diagnostics would be published.
    public static func checkOnce(path: String, text: String) -> Int {
        let server = LanguageServer(input: -1, output: -1)
        server.documents[path] = (Array(text.utf8), 1)
        server.check()
        return server.analyses.values.reduce(0) { $0 + $1.diagnostics().values.reduce(0) { $0 + $1.count } }
    }

    // MARK: checking

    /// Checks every entry (an open file no other open file includes) and
    /// publishes each file's diagnostics, clearing those of fixed files.
    func check() {
        let open = documents.mapValues(\.text)
        var fresh: [String: Analysis] = [:]
        var included = Set<String>()
        for path in documents.keys.sorted() where !included.contains(path) {
            // An open file another entry includes is checked through it.
            if fresh.values.contains(where: { $0.paths.values.contains(path) }) { continue }
            let analysis = Analysis(entry: path, open: open)
            for p in analysis.paths.values where p != path { included.insert(p) }
            fresh[path] = analysis
        }
        // An entry checked first may since have been found included by another.
        analyses = fresh.filter { !included.contains($0.key) }
        var diagnostics: [String: [LSPDiagnostic]] = [:]
        for a in analyses.values {
            for (path, list) in a.diagnostics() { diagnostics[path, default: []] += list }
        }
        for path in published.subtracting(diagnostics.keys) { diagnostics[path] = [] }
        for (path, list) in diagnostics.sorted(by: { $0.key < $1.key }) {
            notify(
                "textDocument/publishDiagnostics",
                PublishDiagnosticsParams(uri: URIs.uri(path), version: documents[path]?.version, diagnostics: list))
        }
        published = Set(diagnostics.filter { !$0.value.isEmpty }.keys)
    }

    /// The analysis that read `path`.
    func analysis(of path: String) -> Analysis? {
        analyses[path] ?? analyses.values.first { $0.paths.values.contains(path) }
    }

    // MARK: output

    struct InitializeResult: Encodable {
        struct Capabilities: Encodable {
            /// Full text on every change.
            let textDocumentSync = 1
            let hoverProvider = true
            let definitionProvider = true
            let referencesProvider = true
            let documentFormattingProvider = true
            let documentSymbolProvider = true
            let renameProvider = ["prepareProvider": true]
            let completionProvider = ["triggerCharacters": [" "]]
        }
        struct ServerInfo: Encodable {
            let name = "fabricc"
            let version = FabricVersion.current
        }
        let capabilities = Capabilities()
        let serverInfo = ServerInfo()
    }

    func respond<T: Encodable>(_ id: RequestID?, _ result: T) {
        guard let id else { return }
        send(Envelope(id: id, result: result))
    }

    func respondError(_ id: RequestID?, _ code: Int, _ message: String) {
        send(ErrorEnvelope(id: id, error: .init(code: code, message: message)))
    }

    func notify<T: Encodable>(_ method: String, _ params: T) {
        send(Notification(method: method, params: params))
    }

    func send<T: Encodable>(_ value: T) {
        let encoder = JSONEncoder()
        encoder.outputFormatting = [.sortedKeys, .withoutEscapingSlashes]
        guard let data = try? encoder.encode(value) else { return }
        writer.send(data)
    }

    struct Envelope<T: Encodable>: Encodable {
        let jsonrpc = "2.0"
        let id: RequestID
        let result: T
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(jsonrpc, forKey: .jsonrpc)
            try c.encode(id, forKey: .id)
            // `null` is a result too (no hover, no definition).
            if let optional = result as? any OptionalProtocol, optional.isNone {
                try c.encodeNil(forKey: .result)
            } else {
                try c.encode(result, forKey: .result)
            }
        }
        enum Keys: String, CodingKey { case jsonrpc, id, result }
    }

    struct ErrorEnvelope: Encodable {
        struct Body: Encodable {
            let code: Int
            let message: String
        }
        let jsonrpc = "2.0"
        let id: RequestID?
        let error: Body
        func encode(to encoder: any Encoder) throws {
            var c = encoder.container(keyedBy: Keys.self)
            try c.encode(jsonrpc, forKey: .jsonrpc)
            if let id { try c.encode(id, forKey: .id) } else { try c.encodeNil(forKey: .id) }
            try c.encode(error, forKey: .error)
        }
        enum Keys: String, CodingKey { case jsonrpc, id, error }
    }

    struct Notification<T: Encodable>: Encodable {
        let jsonrpc = "2.0"
        let method: String
        let params: T
    }

    // MARK: params

    static func path(_ params: [String: Any]) -> String? {
        ((params["textDocument"] as? [String: Any])?["uri"] as? String).flatMap(URIs.path)
    }

    static func position(_ p: [String: Any]) -> Position? {
        guard let line = p["line"] as? Int, let character = p["character"] as? Int else { return nil }
        return Position(line: line, character: character)
    }

    static func range(_ r: [String: Any]) -> LSPRange? {
        guard let s = (r["start"] as? [String: Any]).flatMap(position),
            let e = (r["end"] as? [String: Any]).flatMap(position)
        else { return nil }
        return LSPRange(start: s, end: e)
    }
}

protocol OptionalProtocol { var isNone: Bool { get } }
extension Optional: OptionalProtocol { var isNone: Bool { self == nil } }
