import FabricDiagnostics
import FabricSema

/// A code generator for one target (bird, junos, esxi, antrea, ovs).
///
/// A backend reads only the typed IR: it first builds a view model per
/// device in Swift, then lays it out through its templates. It never sees
/// the syntax tree. It owns one folder of `Sources/FabricBackends/`, its
/// templates under `Templates/<name>/` (see ``TemplatedBackend``) and its
/// range of diagnostic codes; one line in ``BackendRegistry`` adds it to
/// the build, the catalogue, the docs and the tests.
public protocol Backend: Sendable {
    /// The output folder under `out/` and the `--backend` name.
    var name: String { get }

    /// Every code `validate` and `generate` may report, in the backend's
    /// own range (`FAB71xx`): `explain`, SARIF and `docs/diagnostics.md`
    /// list them, and a test finds any code defined but not listed.
    var diagnostics: DiagnosticGroup { get }

    /// What the target cannot carry, reported at the source line. Runs on
    /// `fabricc check` too, so a pre-commit check finds it before a build.
    func validate(_ ir: FabricIR) -> [Diagnostic]

    /// Every file of this backend, with paths relative to `out/`. Called
    /// only when `validate` found no error.
    func generate(_ input: BackendInput) -> BackendOutput
}

/// What a backend generates from.
public struct BackendInput: Sendable {
    public let ir: FabricIR
    /// The entry file, relative to the project root, for header comments.
    public let sourceName: String
    /// Secret values by secret name, read when the build started, when the
    /// build writes the secrets' files (`--secrets DIR`); nil otherwise.
    /// The committed files never depend on them: they name each secret
    /// and the backend writes its value into ``BackendOutput/secretFiles``.
    public let secrets: [String: String]?
    /// fabricc's version, for header comments.
    public let compilerVersion: String
    /// The previous build's files by path (`--previous`), for targets that
    /// refuse some changes to what exists; empty when not given.
    public let previous: [String: String]
    /// `--allow-breaking`: such changes are warnings, not errors.
    public let allowBreaking: Bool
    /// The paths of the files the backends before this one generated in
    /// this build (the docs backend, last, links each device's).
    public var artifacts: [String] = []

    public init(
        ir: FabricIR, sourceName: String, secrets: [String: String]?, compilerVersion: String,
        previous: [String: String] = [:], allowBreaking: Bool = false
    ) {
        self.ir = ir
        self.sourceName = sourceName
        self.secrets = secrets
        self.compilerVersion = compilerVersion
        self.previous = previous
        self.allowBreaking = allowBreaking
    }
}

/// One generated file.
public struct GeneratedFile: Sendable, Hashable {
    /// Relative to the output directory (or, for a secret file, to the
    /// secrets folder), `/`-separated: `bird/rr1.conf`.
    public let path: String
    public let contents: String

    public init(path: String, contents: String) {
        self.path = path
        self.contents = contents
    }
}

/// A backend's files and what went wrong making them.
public struct BackendOutput: Sendable {
    /// The artifacts users commit: never a secret value in them.
    public var files: [GeneratedFile] = []
    /// The secret values the files reference, one file per device, for the
    /// secrets folder (`--secrets DIR`); empty when the input has no values.
    public var secretFiles: [GeneratedFile] = []
    public var diagnostics: [Diagnostic] = []

    public init(files: [GeneratedFile] = [], secretFiles: [GeneratedFile] = [], diagnostics: [Diagnostic] = []) {
        self.files = files
        self.secretFiles = secretFiles
        self.diagnostics = diagnostics
    }
}
