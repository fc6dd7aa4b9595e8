import FabricBackends
import FabricBase
import FabricDiagnostics
import FabricSema
import FabricSyntax

/// Settings for one `build` run.
public struct BuildOptions: Sendable {
    public var check: CheckOptions
    /// Backends to run by name; empty: all of them.
    public var backends: [String]
    /// Where secrets named by `env` are looked up (the process environment
    /// for the CLI; a fixed map in tests).
    public var environment: [String: String]
    /// Read the secrets the sessions use and generate the files holding
    /// their values (`--secrets DIR`). Without it no secret is read: the
    /// committed files name their secrets and never depend on the values.
    public var writeSecrets: Bool
    /// The previous build's files by relative path (`--previous DIR`).
    public var previous: [String: String]
    /// `--allow-breaking`: changes a target refuses on existing objects are warnings.
    public var allowBreaking: Bool

    public init(
        check: CheckOptions = CheckOptions(), backends: [String] = [], environment: [String: String] = [:],
        writeSecrets: Bool = false, previous: [String: String] = [:], allowBreaking: Bool = false
    ) {
        self.check = check
        self.backends = backends
        self.environment = environment
        self.writeSecrets = writeSecrets
        self.previous = previous
        self.allowBreaking = allowBreaking
    }
}

/// The outcome of a build: the check, then every generated file, held in
/// memory so that nothing is written unless everything succeeded.
public struct BuildResult: Sendable {
    public let check: CheckResult
    /// Sorted by path; empty when there are errors.
    public let files: [GeneratedFile]
    /// The files holding secret values, relative to the secrets folder,
    /// sorted; empty unless ``BuildOptions/writeSecrets``, or on errors.
    public let secretFiles: [GeneratedFile]
    /// The secrets the generated files reference, by name, sorted.
    public let referencedSecrets: [String]
    /// The check's diagnostics and the build's, sorted by position.
    public let diagnostics: [Diagnostic]

    /// The backends that ran, by name.
    public let backends: Set<String>
    /// The project root, absolute: the entry's folder or `--root`.
    public let projectRoot: String
    /// Every source file read, relative to the project root, with its
    /// SHA-256, for the manifest.
    public let inputs: [Manifest.Input]

    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
    /// The lock the build writes beside the entry; nil on errors.
    public var lock: LockState? { hasErrors ? nil : check.lock }
    /// What ``OutputWriter`` writes for this build.
    public var plan: OutputWriter.Plan { OutputWriter.Plan(files: files, backends: backends, inputs: inputs) }
    /// The result as a check result, for rendering diagnostics.
    public var asCheckResult: CheckResult {
        CheckResult(
            program: check.program, ir: check.ir, diagnostics: diagnostics, lock: hasErrors ? nil : check.lock,
            lockFile: check.lockFile)
    }
}

extension Driver {
    /// Checks `entry`, reads the secrets its sessions use and runs the
    /// backends. Writes nothing: see ``OutputWriter``.
    public static func build(
        _ entry: String, options: BuildOptions = BuildOptions(), provider: any SourceProvider = DiskSourceProvider()
    ) -> BuildResult {
        let backends =
            options.backends.isEmpty
            ? BackendRegistry.all
            : BackendRegistry.all.filter { options.backends.contains($0.name) }
        let checked = check(entry, options: options.check, backends: backends, provider: provider)
        let names = Set(backends.map(\.name))
        let root = options.check.root.map(provider.absolute) ?? Paths.directory(of: provider.absolute(entry))
        // The lock is the build's output as much as its input: not listed.
        let inputs = checked.sources.files.filter { $0.id != checked.lockFile }.map {
            Manifest.Input(
                path: sourceName($0.displayPath, root: root, provider: provider), sha256: Manifest.sha256($0.bytes))
        }
        guard let ir = checked.ir, !checked.hasErrors else {
            return BuildResult(
                check: checked, files: [], secretFiles: [], referencedSecrets: [], diagnostics: checked.diagnostics,
                backends: names, projectRoot: root, inputs: inputs)
        }
        var secrets: [String: String]?
        var secretDiagnostics: [Diagnostic] = []
        if options.writeSecrets {
            let resolved = SecretResolver.resolve(
                ir, sources: checked.sources, environment: options.environment, provider: provider)
            (secrets, secretDiagnostics) = (resolved.values, resolved.diagnostics)
        }
        var diagnostics = checked.diagnostics + secretDiagnostics
        var files: [GeneratedFile] = []
        var secretFiles: [GeneratedFile] = []
        if secretDiagnostics.isEmpty {
            var input = BackendInput(
                ir: ir, sourceName: sourceName(entry, root: options.check.root, provider: provider),
                secrets: secrets, compilerVersion: FabricVersion.current,
                previous: options.previous, allowBreaking: options.allowBreaking)
            for backend in backends {
                input.artifacts = files.map(\.path)
                let output = backend.generate(input)
                files += output.files
                secretFiles += output.secretFiles
                diagnostics += output.diagnostics
            }
        }
        // Two files at one path would silently overwrite each other; the
        // name checks make that impossible, so this is fabricc's own bug.
        let paths = files.map(\.path)
        precondition(Set(paths).count == paths.count, "fabricc: two generated files share a path")
        let failed = diagnostics.contains { $0.severity == .error }
        return BuildResult(
            check: checked, files: failed ? [] : files.sorted { $0.path < $1.path },
            secretFiles: failed ? [] : secretFiles.sorted { $0.path < $1.path },
            referencedSecrets: Array(Set(ir.sessions.compactMap(\.password))).sorted(),
            diagnostics: diagnostics.sortedForOutput(), backends: names, projectRoot: root, inputs: inputs)
    }

    /// The entry as the header comments name it: relative to the project
    /// root, so the bytes do not depend on where fabricc was started.
    static func sourceName(_ entry: String, root: String?, provider: any SourceProvider) -> String {
        let absolute = provider.absolute(entry)
        let rootPath = root.map(provider.absolute) ?? Paths.directory(of: absolute)
        if rootPath == "/" { return String(absolute.dropFirst()) }
        return absolute.hasPrefix(rootPath + "/") ? String(absolute.dropFirst(rootPath.count + 1)) : absolute
    }
}
