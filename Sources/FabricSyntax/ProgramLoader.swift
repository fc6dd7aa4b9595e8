import FabricBase
import FabricDiagnostics

/// A parsed intent: the entry file and every file it includes, in the
/// order they were first met (depth-first), each parsed once.
public struct ParsedProgram: Sendable {
    public var sources: SourceMap
    public let files: [FileSyntax]
    public let entry: FileID
}

/// Loads an entry file and follows its `include`s.
///
/// Includes are resolved relative to the including file, must stay inside
/// the project root (symbolic links resolved), may not form a cycle, and a
/// file included twice is merged once.
public struct ProgramLoader {
    let provider: any SourceProvider
    var sources = SourceMap()
    var files: [FileSyntax] = []
    var diagnostics: [Diagnostic] = []
    var loaded: [String: FileID] = [:]
    /// The root as given (made absolute) and with symbolic links resolved.
    var lexicalRoot = "/"
    var root = "/"

    /// Files above this size are refused so every offset fits in 32 bits.
    static let maxFileSize = 1 << 30

    public static func load(entry: String, root: String? = nil, provider: any SourceProvider) -> (
        program: ParsedProgram, diagnostics: [Diagnostic]
    ) {
        var loader = ProgramLoader(provider: provider)
        let absoluteEntry = provider.absolute(entry)
        let rootPath = root.map(provider.absolute) ?? Paths.directory(of: absoluteEntry)
        loader.lexicalRoot = rootPath
        loader.root = provider.canonicalPath(rootPath) ?? rootPath
        let entryID = loader.loadEntry(display: Paths.normalize(entry), absolute: absoluteEntry)
        return (ParsedProgram(sources: loader.sources, files: loader.files, entry: entryID), loader.diagnostics)
    }

    mutating func loadEntry(display: String, absolute: String) -> FileID {
        guard let canonical = provider.canonicalPath(absolute) else {
            return placeholder(display, reason: provider.missingReason(absolute))
        }
        switch provider.read(canonical) {
        case .failure(let e):
            return placeholder(display, reason: e.description)
        case .success(let bytes):
            return parse(display: display, canonical: canonical, bytes: bytes, includedFrom: nil, stack: [])
        }
    }

    /// An empty stand-in file so a diagnostic about an unreadable entry
    /// still has a place to point at.
    mutating func placeholder(_ display: String, reason: String) -> FileID {
        let id = sources.add(displayPath: display, bytes: [])
        diagnostics.append(
            Diagnostic(.fileUnreadable, at: Span(file: id, start: 0, end: 0), "cannot read `\(display)`: \(reason)"))
        return id
    }

    mutating func parse(
        display: String, canonical: String, bytes: [UInt8], includedFrom: Span?, stack: [(String, Span?)]
    ) -> FileID {
        if bytes.count > ProgramLoader.maxFileSize {
            let id = sources.add(displayPath: display, bytes: [], includedFrom: includedFrom)
            diagnostics.append(
                Diagnostic(.fileTooLarge, at: Span(file: id, start: 0, end: 0), "`\(display)` is larger than 1 GiB"))
            return id
        }
        let id = sources.add(displayPath: display, bytes: bytes, includedFrom: includedFrom)
        loaded[canonical] = id
        let (syntax, parseDiagnostics) = Parser.parse(sources[id])
        files.append(syntax)
        diagnostics += parseDiagnostics
        let stack = stack + [(canonical, includedFrom)]
        for item in syntax.items {
            guard case .include(let inc) = item, let path = inc.path.plainString else { continue }
            follow(path, at: inc.path.span, from: id, includerCanonical: canonical, stack: stack)
        }
        return id
    }

    static func isInside(_ path: String, _ root: String) -> Bool {
        root == "/" || path.hasPrefix(root + "/")
    }

    /// No absolute paths in the message: output must not depend on where
    /// the project is checked out.
    func escapesRoot(_ path: String, at site: Span, through: String?) -> Diagnostic {
        let entry = sources.files.first.map(\.displayPath) ?? "the entry file"
        return Diagnostic(.includeEscapesRoot, at: site, "include of `\(path)` escapes the project root")
            .labelled(through.map { "leads outside the project through \($0)" } ?? "outside the project")
            .note("the project root is the directory of `\(entry)`, or the one given with `--root`")
            .help("move the file into the project, or widen the root with `--root`")
    }

    mutating func follow(
        _ path: String, at site: Span, from includer: FileID, includerCanonical: String, stack: [(String, Span?)]
    ) {
        let includerDisplay = sources[includer].displayPath
        let display = Paths.join(Paths.directory(of: includerDisplay), path)
        guard !path.isEmpty else {
            diagnostics.append(
                Diagnostic(.includeNotFound, at: site, "include path is empty").labelled("names no file"))
            return
        }
        let absolute = Paths.join(Paths.directory(of: includerCanonical), path)
        // Judged before the file is looked at, so an intent cannot probe
        // which files exist outside the project.
        guard ProgramLoader.isInside(absolute, lexicalRoot) || ProgramLoader.isInside(absolute, root) else {
            diagnostics.append(escapesRoot(path, at: site, through: nil))
            return
        }
        // `..` is resolved by the file system after symbolic links, as a
        // shell would; the lexical form above only guards the root.
        let physical = path.hasPrefix("/") ? path : Paths.directory(of: includerCanonical) + "/" + path
        guard let canonical = provider.canonicalPath(physical) else {
            let reason = provider.missingReason(physical)
            var d = Diagnostic(
                .includeNotFound, at: site,
                reason == "no such file"
                    ? "included file `\(display)` not found"
                    : "cannot read included file `\(display)`: \(reason)"
            )
            .labelled(reason)
            .note("include paths are relative to the including file, `\(includerDisplay)`")
            if !path.hasSuffix(".fab") { d = d.help("fabric files end in `.fab`") }
            diagnostics.append(d)
            return
        }
        guard ProgramLoader.isInside(canonical, root) else {
            diagnostics.append(escapesRoot(path, at: site, through: "a symbolic link"))
            return
        }
        if let index = stack.firstIndex(where: { $0.0 == canonical }) {
            let cycle = stack[index...].map { sources[loaded[$0.0]!].displayPath } + [display]
            let through = cycle.dropFirst().dropLast()
            var d = Diagnostic(
                .includeCycle, at: site,
                "include cycle: `\(display)` includes itself"
                    + (through.isEmpty ? "" : " through " + through.map { "`\($0)`" }.joined(separator: ", "))
            )
            .labelled("includes `\(display)` again")
            .note("cycle: " + cycle.map { "`\($0)`" }.joined(separator: " → "))
            if let first = stack[index...].dropFirst().first?.1 {
                d = d.label(first, "the cycle starts here")
            }
            diagnostics.append(d)
            return
        }
        if let earlier = loaded[canonical] {
            var d = Diagnostic(.includeRepeated, at: site, "`\(display)` is already included")
                .labelled("ignored: its declarations are merged once")
            if let firstSite = sources[earlier].includedFrom { d = d.label(firstSite, "first included here") }
            diagnostics.append(d)
            return
        }
        switch provider.read(canonical) {
        case .failure(let e):
            diagnostics.append(
                Diagnostic(.includeNotFound, at: site, "cannot read included file `\(display)`: \(e)")
                    .labelled("unreadable"))
        case .success(let bytes):
            _ = parse(display: display, canonical: canonical, bytes: bytes, includedFrom: site, stack: stack)
        }
    }
}
