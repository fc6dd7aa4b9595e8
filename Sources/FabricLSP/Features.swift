import FabricBackends
import FabricBase
import FabricDiagnostics
import FabricSema
import FabricSyntax

/// The answers to requests about one open file, from its last analysis.
struct Features {
    let server: LanguageServer
    let path: String

    var analysis: Analysis? { server.analysis(of: path) }
    /// The file as the editor has it (or as the last check read it).
    var file: SourceFile? {
        if let text = server.documents[path]?.text {
            return SourceFile(id: analysis?.file(at: path)?.id ?? FileID(0), displayPath: path, bytes: text)
        }
        return analysis?.file(at: path)
    }

    // MARK: formatting

    /// Exactly `fabricc fmt`: one edit replacing the whole text, none when
    /// it is laid out already or does not parse.
    func formatting() -> [TextEdit] {
        guard let file else { return [] }
        guard let text = Formatter.format(file).text, Array(text.utf8) != file.bytes else { return [] }
        let end = Positions.position(file, UInt32(file.bytes.count))
        return [TextEdit(range: LSPRange(start: Position(line: 0, character: 0), end: end), newText: text)]
    }

    // MARK: symbols

    func symbols() -> [DocumentSymbol] {
        guard let analysis, let source = analysis.file(at: path),
            let syntax = analysis.result.program.files.first(where: { $0.file == source.id })
        else { return [] }
        func walk(_ items: [Item]) -> [DocumentSymbol] {
            items.flatMap { item -> [DocumentSymbol] in
                switch item {
                case .block(let b):
                    let label = b.labels.first.map {
                        String(decoding: source.bytes[Int($0.span.start)..<Int($0.span.end)], as: UTF8.self)
                    }
                    let children = walk(b.body)
                    return [
                        DocumentSymbol(
                            name: label ?? b.keyword.name, detail: b.keyword.name,
                            kind: LanguageSchema.block(b.keyword.name)?.parents.contains(nil) == true ? 5 : 13,
                            range: Positions.range(source, b.span),
                            selectionRange: Positions.range(source, b.labels.first?.span ?? b.keyword.span),
                            children: children.isEmpty ? nil : children)
                    ]
                case .forLoop(let f): return walk(f.body)
                case .attribute, .include: return []
                }
            }
        }
        return walk(syntax.items)
    }

    // MARK: names

    /// The file's id in the analysis and the byte offset of `p`.
    func offset(_ p: Position) -> (FileID, UInt32)? {
        guard let analysis, let source = analysis.file(at: path) else { return nil }
        guard p.line >= 0, p.character >= 0, p.line < source.lineCount else { return nil }
        return (source.id, Positions.offset(source, p))
    }

    func definition(_ p: Position) -> Location? {
        guard let analysis, let (id, offset) = offset(p), let hit = analysis.index.name(at: id, offset),
            let d = analysis.index.declaration(hit.kind, hit.name)
        else { return nil }
        return analysis.location(d.span)
    }

    func references(_ p: Position, declaration: Bool) -> [Location] {
        guard let analysis, let (id, offset) = offset(p), let hit = analysis.index.name(at: id, offset) else {
            return []
        }
        var spans = analysis.index.references(hit.kind, hit.name).map(\.span)
        if declaration, let d = analysis.index.declaration(hit.kind, hit.name) { spans.insert(d.span, at: 0) }
        return spans.compactMap(analysis.location)
    }

    struct Refusal: Error, CustomStringConvertible {
        let description: String
    }

    func renameRange(_ p: Position) -> LSPRange? {
        guard let analysis, let (id, offset) = offset(p), let hit = analysis.index.name(at: id, offset),
            let d = analysis.index.declaration(hit.kind, hit.name), !d.fromLoop
        else { return nil }
        return analysis.location(hit.span)?.range
    }

    /// The declaration and every reference, across files; refused where a
    /// loop makes the name or the new name is not one the language takes.
    func rename(_ p: Position, to new: String) -> Result<WorkspaceEdit, Refusal> {
        guard let analysis, let (id, offset) = offset(p), let hit = analysis.index.name(at: id, offset) else {
            return .failure(Refusal(description: "no declared name here"))
        }
        guard let d = analysis.index.declaration(hit.kind, hit.name) else {
            return .failure(Refusal(description: "`\(hit.name)` is declared nowhere"))
        }
        guard !d.fromLoop else {
            return .failure(
                Refusal(description: "a loop makes `\(hit.name)`: rename it in the loop's name template instead"))
        }
        guard Self.isName(new) else {
            return .failure(Refusal(description: "`\(new)` is not a name: letters, digits, `-`, `_` and `.`"))
        }
        if analysis.index.declaration(hit.kind, new) != nil {
            return .failure(Refusal(description: "a \(hit.kind) `\(new)` exists already"))
        }
        var changes: [String: [TextEdit]] = [:]
        for span in [d.span] + analysis.index.references(hit.kind, hit.name).map(\.span) {
            guard let location = analysis.location(span) else { continue }
            // A string label keeps its quotes.
            let quoted = analysis.result.sources.text(of: span).hasPrefix("\"")
            changes[location.uri, default: []].append(
                TextEdit(range: location.range, newText: quoted ? "\"\(new)\"" : new))
        }
        return .success(WorkspaceEdit(changes: changes))
    }

    static func isName(_ s: String) -> Bool {
        guard let first = s.unicodeScalars.first, first.properties.isAlphabetic || first == "_" else { return false }
        return s.unicodeScalars.allSatisfy {
            ($0.isASCII && ($0.properties.isAlphabetic || ("0"..."9").contains($0)))
                || "-_.".unicodeScalars.contains($0)
        }
    }

    // MARK: hover

    func hover(_ p: Position) -> Hover? {
        guard let analysis, let (id, offset) = offset(p) else { return nil }
        // On a diagnostic: what its code means.
        if let d = analysis.result.diagnostics.first(where: {
            $0.primary.span.file == id && $0.primary.span.start <= offset && offset <= $0.primary.span.end
        }) {
            let c = d.code
            return Hover(
                contents: MarkupContent(value: "**\(c.id): \(c.title)** (\(c.severity.rawValue))\n\n\(c.explanation)"),
                range: analysis.location(d.primary.span)?.range)
        }
        if let hit = analysis.index.name(at: id, offset) {
            return Hover(
                contents: MarkupContent(value: describe(hit.kind, hit.name)), range: analysis.location(hit.span)?.range)
        }
        if let word = keyword(at: id, offset) {
            return Hover(contents: MarkupContent(value: word), range: nil)
        }
        return nil
    }

    /// What a declared name resolved to, from the checked model.
    func describe(_ kind: String, _ name: String) -> String {
        var lines = ["`\(kind) \(name)`"]
        guard let ir = analysis?.result.ir else { return lines[0] + "\n\n(the intent has errors: nothing resolved)" }
        switch kind {
        case "vm":
            for h in ir.hosts {
                guard let vm = h.vms.first(where: { $0.name == name }) else { continue }
                lines.append("VM on host `\(h.name)`")
                if let ip = vm.ip?.value {
                    lines.append("address \(ip) (\(vm.ipAllocated ? "allocated" : "declared"))")
                }
                if let pool = vm.pool { lines.append("pool `\(pool)`") }
                if let mac = vm.mac { lines.append("MAC \(mac) (\(vm.macAllocated ? "allocated" : "declared"))") }
            }
        case "host":
            if let h = ir.hosts.first(where: { $0.name == name }) {
                lines.append("\(h.platform.rawValue) host")
                if let a = h.address?.value { lines.append("address \(a)") }
                if let a = h.asn?.value { lines.append("AS \(a)") }
                if !h.reflectors.isEmpty {
                    lines.append("reflectors " + h.reflectors.map { "`\($0)`" }.joined(separator: ", "))
                }
                lines.append("\(h.sessions.count) BGP session\(h.sessions.count == 1 ? "" : "s"), \(h.vms.count) VMs")
            }
        case "reflector":
            if let r = ir.reflectors.first(where: { $0.name == name }) {
                if let a = r.address?.value { lines.append("address \(a)") }
                if let a = r.asn?.value { lines.append("AS \(a)") }
                lines.append("\(r.clients.count) clients, \(r.sessions.count) sessions")
            }
        case "router":
            if let r = ir.routers.first(where: { $0.name == name }) {
                lines.append("\(r.role.rawValue) router (\(r.platform.rawValue))")
                if let a = r.asn?.value { lines.append("AS \(a)") }
                if !r.accept.isEmpty { lines.append("accepts " + r.accept.map { "`\($0)`" }.joined(separator: ", ")) }
            }
        case "pool":
            if let pool = ir.pools.first(where: { $0.name == name }) {
                lines.append("prefix \(pool.prefix.value)")
                let size = pool.allocatable.reduce(UInt128(0)) { $0 &+ $1.count }
                lines.append("\(size) allocatable addresses")
            }
        default:
            break
        }
        return lines.joined(separator: "\n\n")
    }

    /// An attribute or block keyword under the cursor, with its meaning.
    func keyword(at id: FileID, _ offset: UInt32) -> String? {
        guard let analysis, let syntax = analysis.result.program.files.first(where: { $0.file == id }) else {
            return nil
        }
        func find(_ items: [Item], parent: String?) -> String? {
            for item in items where item.span.start <= offset && offset <= item.span.end {
                switch item {
                case .block(let b):
                    if b.keyword.span.start <= offset && offset <= b.keyword.span.end,
                        let spec = LanguageSchema.block(b.keyword.name)
                    {
                        return "**\(spec.keyword)**: \(spec.summary)"
                    }
                    return find(b.body, parent: b.keyword.name)
                case .forLoop(let f):
                    if f.variable.span.start <= offset && offset <= f.variable.span.end {
                        let range = analysis.result.sources.text(of: f.sequence.span)
                        return "loop variable `\(f.variable.name)`: takes each value of `\(range)`"
                    }
                    return find(f.body, parent: parent)
                case .attribute(let a):
                    guard a.keyword.span.start <= offset && offset <= a.keyword.span.end, let parent,
                        let spec = LanguageSchema.block(parent)?.attribute(a.keyword.name)
                    else { return nil }
                    return "**\(spec.name)** (\(spec.type)): \(spec.summary)"
                case .include: return nil
                }
            }
            return nil
        }
        return find(syntax.items, parent: nil)
    }

    // MARK: completion

    /// In a block, the keywords the schema allows there; after an
    /// attribute that takes a reference, the names of that kind.
    func completion(_ p: Position) -> [CompletionItem] {
        guard let file else { return [] }
        let offset = Int(Positions.offset(file, p))
        let parent = enclosingBlock(file.bytes, offset)
        // The line so far: `keyword ` then a value being typed?
        let lineStart = Int(file.lineStarts[file.lineIndex(of: UInt32(offset))])
        let before = String(decoding: file.bytes[lineStart..<offset], as: UTF8.self)
        let words = before.split(whereSeparator: { $0 == " " || $0 == "\t" || $0 == "," })
        let typingValue = words.count >= 2 || (words.count == 1 && before.last == " ")
        if typingValue, let keyword = words.first.map(String.init), let parent,
            let spec = LanguageSchema.block(parent)?.attribute(keyword)
        {
            switch spec.type {
            case .reference(let kind):
                let names = Set((analysis?.index.declarations ?? []).filter { $0.kind == kind }.map(\.name))
                return names.sorted().map { CompletionItem(label: $0, kind: 6, detail: kind) }
            case .keyword(let options):
                return options.map { CompletionItem(label: $0, kind: 14, detail: spec.name) }
            default:
                return []
            }
        }
        let blocks = LanguageSchema.blocks(in: parent).map {
            CompletionItem(label: $0.keyword, kind: 7, detail: $0.summary)
        }
        let attributes =
            parent.flatMap(LanguageSchema.block)?.attributes.map {
                CompletionItem(label: $0.name, kind: 5, detail: $0.summary)
            } ?? []
        return attributes + blocks
            + (parent == nil ? [CompletionItem(label: "include", kind: 14, detail: "include a file")] : [])
            + [CompletionItem(label: "for", kind: 14, detail: "a loop")]
    }

    /// The keyword of the innermost block open at `offset`, from the text
    /// (which may not parse while it is typed): braces outside strings and
    /// comments, each `{` taking the first word of its statement.
    func enclosingBlock(_ b: [UInt8], _ offset: Int) -> String? {
        var stack: [String?] = []
        var statement: [UInt8] = []
        var i = 0
        var inString = false
        while i < min(offset, b.count) {
            let c = b[i]
            if inString {
                if c == UInt8(ascii: "\\") { i += 1 } else if c == UInt8(ascii: "\"") { inString = false }
            } else if c == UInt8(ascii: "\"") {
                inString = true
            } else if c == UInt8(ascii: "#") {
                while i < b.count, b[i] != 10 { i += 1 }
                continue
            } else if c == UInt8(ascii: "{") {
                let word = String(decoding: statement, as: UTF8.self).split(separator: " ").first.map(String.init)
                let inherited: String? = stack.last ?? nil
                stack.append(word == "for" ? inherited : word)
                statement = []
            } else if c == UInt8(ascii: "}") {
                _ = stack.popLast()
                statement = []
            } else if c == 10 || c == UInt8(ascii: ";") {
                statement = []
            } else if !(statement.isEmpty && (c == 32 || c == 9 || c == 13)) {
                statement.append(c)
            }
            i += 1
        }
        return stack.last ?? nil
    }
}
