import FabricLSP
import Foundation

/// The language server's message handler on fuzz input: the raw bytes as
/// one JSON-RPC message (mostly malformed), then the entry file opened and
/// every request the server answers, at positions the bytes choose. Any
/// crash or trap is a finding; error answers are expected.
enum FuzzLanguageServer {
    static func run(_ bytes: [UInt8], entry: [UInt8]) {
        let server = LanguageServer(input: -1, output: -1)
        server.handleForFuzzing(Data(bytes))
        let uri = "file://\(FuzzInput.directory)/\(FuzzInput.entry)"
        func send(_ method: String, _ params: [String: Any], id: Int? = nil) {
            var message: [String: Any] = ["jsonrpc": "2.0", "method": method, "params": params]
            if let id { message["id"] = id }
            guard let data = try? JSONSerialization.data(withJSONObject: message) else { return }
            server.handleForFuzzing(data)
        }
        let text = String(decoding: entry, as: UTF8.self)
        send("initialize", [:], id: 1)
        send(
            "textDocument/didOpen",
            ["textDocument": ["uri": uri, "languageId": "fab", "version": 1, "text": text]])
        let lines = max(1, text.split(separator: "\n", omittingEmptySubsequences: false).count)
        let hash = FuzzSeeds.stableHash(bytes)
        let doc: [String: Any] = ["uri": uri]
        for k in 0..<3 {
            let position = [
                "line": Int((hash >> (8 * UInt64(k))) % UInt64(lines + 1)), "character": Int(hash >> 40) % 40,
            ]
            let at: [String: Any] = ["textDocument": doc, "position": position]
            send("textDocument/hover", at, id: 10 + k)
            send("textDocument/definition", at, id: 20 + k)
            send(
                "textDocument/references", at.merging(["context": ["includeDeclaration": true]]) { a, _ in a },
                id: 30 + k)
            send("textDocument/completion", at, id: 40 + k)
            send("textDocument/rename", at.merging(["newName": "renamed"]) { a, _ in a }, id: 50 + k)
        }
        send("textDocument/documentSymbol", ["textDocument": doc], id: 60)
        send("textDocument/formatting", ["textDocument": doc, "options": ["tabSize": 4]], id: 61)
        // An edit in the middle of a line, then the file closed.
        send(
            "textDocument/didChange",
            [
                "textDocument": ["uri": uri, "version": 2],
                "contentChanges": [
                    [
                        "range": [
                            "start": ["line": 0, "character": 1], "end": ["line": lines / 2, "character": 3],
                        ], "text": "{ \"${",
                    ]
                ],
            ])
        send("textDocument/didClose", ["textDocument": doc])
        send("shutdown", [:], id: 99)
    }
}
