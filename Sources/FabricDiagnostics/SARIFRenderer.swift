import Foundation

/// SARIF 2.1.0 (the OASIS standard code-scanning services read): one run,
/// the tool's rules from the code catalogue, one result per diagnostic.
/// Artifact URIs are the files as fabricc names them, relative to the
/// directory it ran in (`%SRCROOT%`): run it from the repository root.
struct SARIFRenderer {
    let toolVersion: String
    let catalogue: DiagnosticCatalogue

    func render(_ batches: [DiagnosticBatch]) -> String {
        let rules = catalogue.all
        let ruleIndex = Dictionary(uniqueKeysWithValues: rules.enumerated().map { ($1.id, $0) })
        var seen: [String: Int] = [:]
        var results: [[String: Any]] = []
        for batch in batches {
            for d in batch.diagnostics {
                var result: [String: Any] = [
                    "ruleId": d.code.id,
                    "level": Self.level(d.severity),
                    "message": ["text": Self.text(d)],
                    "locations": [location(d.primary.span, batch.sources)],
                ]
                if let index = ruleIndex[d.code.id] { result["ruleIndex"] = index }
                let related = d.secondary.enumerated().map { n, label -> [String: Any] in
                    var l = location(label.span, batch.sources)
                    l["id"] = n + 1
                    if !label.message.isEmpty { l["message"] = ["text": label.message] }
                    return l
                }
                if !related.isEmpty { result["relatedLocations"] = related }
                // Stable across edits elsewhere in the file: the code, the
                // file, the message and the text of the line, not its number.
                let file = batch.sources[d.primary.span.file]
                let line = file.lineText(file.lineIndex(of: d.primary.span.start)).trimmingCharacters(in: .whitespaces)
                let hash = Self.fnv1a("\(d.code.id)\u{0}\(file.displayPath)\u{0}\(d.message)\u{0}\(line)")
                seen[hash, default: 0] += 1
                result["partialFingerprints"] = ["primaryLocationLineHash": "\(hash):\(seen[hash]!)"]
                results.append(result)
            }
        }
        let driver: [String: Any] = [
            "name": "fabricc",
            "version": toolVersion,
            "semanticVersion": toolVersion,
            "rules": rules.map { code -> [String: Any] in
                [
                    "id": code.id,
                    "name": Self.ruleName(code.title),
                    "shortDescription": ["text": code.title],
                    "fullDescription": ["text": code.explanation],
                    "help": ["text": "\(code.explanation)\n\nfabricc explain \(code.id)"],
                    "defaultConfiguration": ["level": Self.level(code.severity)],
                ]
            },
        ]
        let log: [String: Any] = [
            "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "version": "2.1.0",
            "runs": [
                [
                    "tool": ["driver": driver],
                    "columnKind": "unicodeCodePoints",
                    "originalUriBaseIds": ["%SRCROOT%": ["description": ["text": "the directory fabricc ran in"]]],
                    "results": results,
                ] as [String: Any]
            ],
        ]
        guard
            let data = try? JSONSerialization.data(
                withJSONObject: log, options: [.prettyPrinted, .sortedKeys, .withoutEscapingSlashes])
        else { return "{}\n" }
        return String(decoding: data, as: UTF8.self) + "\n"
    }

    func location(_ span: Span, _ sources: SourceMap) -> [String: Any] {
        let file = sources[span.file]
        let a = file.location(of: span.start)
        let b = file.location(of: span.end)
        return [
            "physicalLocation": [
                "artifactLocation": Self.artifact(file.displayPath),
                "region": [
                    "startLine": a.line, "startColumn": a.column, "endLine": b.line,
                    "endColumn": max(b.column, b.line == a.line ? a.column + 1 : 1),
                ],
            ] as [String: Any]
        ]
    }

    /// The file relative to the directory fabricc runs in (`%SRCROOT%`), or
    /// an absolute `file:` URI for one outside it, which has no base.
    static func artifact(_ displayPath: String) -> [String: Any] {
        let cwd = FileManager.default.currentDirectoryPath
        let absolute = URL(fileURLWithPath: displayPath, relativeTo: URL(fileURLWithPath: cwd, isDirectory: true))
            .standardizedFileURL.path
        if absolute.hasPrefix(cwd + "/") {
            return ["uri": uri(String(absolute.dropFirst(cwd.count + 1))), "uriBaseId": "%SRCROOT%"]
        }
        return ["uri": URL(fileURLWithPath: absolute).absoluteString]
    }

    /// A relative URI reference: `/`-separated, percent-encoded where RFC 3986 needs it.
    static func uri(_ path: String) -> String {
        var allowed = CharacterSet.urlPathAllowed
        allowed.remove(charactersIn: ":")  // a first segment with `:` would read as a scheme
        let relative = path.hasPrefix("./") ? String(path.dropFirst(2)) : path
        return relative.addingPercentEncoding(withAllowedCharacters: allowed) ?? relative
    }

    static func level(_ severity: Severity) -> String {
        switch severity {
        case .error: "error"
        case .warning: "warning"
        case .note: "note"
        }
    }

    /// The message with its primary label, as the one-line forms lack the snippet.
    static func text(_ d: Diagnostic) -> String {
        d.primary.message.isEmpty ? d.message : "\(d.message): \(d.primary.message)"
    }

    /// `prefix has host bits set` → `PrefixHasHostBitsSet`.
    static func ruleName(_ title: String) -> String {
        title.split { !$0.isLetter && !$0.isNumber }.map { $0.prefix(1).uppercased() + $0.dropFirst() }.joined()
    }

    static func fnv1a(_ text: String) -> String {
        var hash: UInt64 = 0xcbf2_9ce4_8422_2325
        for byte in text.utf8 {
            hash ^= UInt64(byte)
            hash = hash &* 0x100_0000_01b3
        }
        let hex = String(hash, radix: 16)
        return String(repeating: "0", count: 16 - hex.count) + hex
    }
}
