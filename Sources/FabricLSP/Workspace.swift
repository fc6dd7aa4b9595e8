import FabricBase
import FabricDiagnostics
import FabricDriver
import FabricSyntax
import Foundation

/// The documents the editor has open, read before the disk, so a check
/// sees what is typed and not yet saved.
struct OverlayProvider: SourceProvider {
    let disk = DiskSourceProvider()
    let open: [String: [UInt8]]

    func canonicalPath(_ absolutePath: String) -> String? {
        let p = Paths.normalize(absolutePath)
        return open[p] != nil ? p : disk.canonicalPath(p)
    }

    func read(_ absolutePath: String) -> Result<[UInt8], SourceReadError> {
        if let bytes = open[Paths.normalize(absolutePath)] { return .success(bytes) }
        return disk.read(absolutePath)
    }

    func absolute(_ path: String) -> String { disk.absolute(path) }
    func missingReason(_ absolutePath: String) -> String { disk.missingReason(absolutePath) }
}

/// `file://` URIs and paths.
enum URIs {
    static func path(_ uri: String) -> String? {
        guard let url = URL(string: uri), url.isFileURL else { return nil }
        return Paths.normalize(url.path)
    }

    static func uri(_ path: String) -> String { URL(fileURLWithPath: path).absoluteString }
}

/// One check of an entry file with what the editor has open.
struct Analysis {
    let entry: String
    let result: CheckResult
    let index: NameIndex
    /// Each source file's absolute path, by id.
    let paths: [FileID: String]

    init(entry: String, open: [String: [UInt8]]) {
        let provider = OverlayProvider(open: open)
        self.entry = entry
        result = Driver.check(entry, provider: provider)
        index = NameIndex(program: result.program, ir: result.ir)
        var paths: [FileID: String] = [:]
        for f in result.sources.files { paths[f.id] = Paths.normalize(provider.absolute(f.displayPath)) }
        // Included files are shown relative to the entry's folder.
        let base = Paths.directory(of: entry)
        for f in result.sources.files where !f.displayPath.hasPrefix("/") {
            paths[f.id] = Paths.normalize(Paths.join(base, f.displayPath))
        }
        paths[result.program.entry] = entry
        self.paths = paths
    }

    func file(at path: String) -> SourceFile? {
        guard let id = paths.first(where: { $0.value == path })?.key else { return nil }
        return result.sources[id]
    }

    func location(_ span: Span) -> Location? {
        guard let path = paths[span.file] else { return nil }
        return Location(uri: URIs.uri(path), range: Positions.range(result.sources[span.file], span))
    }

    /// Diagnostics by file path: every file the check read, even with none,
    /// so fixed files are cleared.
    func diagnostics() -> [String: [LSPDiagnostic]] {
        var out: [String: [LSPDiagnostic]] = [:]
        for (id, path) in paths where id != result.lockFile { out[path] = [] }
        for d in result.diagnostics {
            guard let path = paths[d.primary.span.file] else { continue }
            let file = result.sources[d.primary.span.file]
            var message = d.message
            if !d.primary.message.isEmpty { message += ": " + d.primary.message }
            for n in d.notes { message += "\nnote: " + n }
            if let h = d.help { message += "\nhelp: " + h }
            let related = d.secondary.compactMap { l in
                location(l.span).map { DiagnosticRelatedInformation(location: $0, message: l.message) }
            }
            out[path, default: []].append(
                LSPDiagnostic(
                    range: Positions.range(file, d.primary.span),
                    severity: d.severity == .error ? 1 : d.severity == .warning ? 2 : 3, code: d.code.id,
                    message: message, relatedInformation: related.isEmpty ? nil : related))
        }
        return out
    }
}
