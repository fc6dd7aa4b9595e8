import FabricDiagnostics
import FabricSema

/// A code generator for one target (bird, junos, esxi, antrea, ovs).
///
/// A backend reads only the typed IR: it first builds a view model per
/// device in Swift, then lays it out through its templates. It never sees
/// the syntax tree.
public protocol Backend: Sendable {
    /// The output folder under `out/` and the `--backend` name.
    var name: String { get }

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
    /// Secret values by secret name, read when the build started.
    public let secrets: [String: String]
    /// fabricc's version, for header comments.
    public let compilerVersion: String
    /// The previous build's files by path (`--previous`), for targets that
    /// refuse some changes to what exists; empty when not given.
    public let previous: [String: String]
    /// `--allow-breaking`: such changes are warnings, not errors.
    public let allowBreaking: Bool

    public init(ir: FabricIR, sourceName: String, secrets: [String: String], compilerVersion: String,
                previous: [String: String] = [:], allowBreaking: Bool = false) {
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
    /// Relative to the output directory, `/`-separated: `bird/rr1.conf`.
    public let path: String
    public let contents: String
    /// Holds a secret: written readable by its owner only.
    public let isSensitive: Bool

    public init(path: String, contents: String, isSensitive: Bool = false) {
        self.path = path
        self.contents = contents
        self.isSensitive = isSensitive
    }
}

/// A backend's files and what went wrong making them.
public struct BackendOutput: Sendable {
    public var files: [GeneratedFile] = []
    public var diagnostics: [Diagnostic] = []

    public init(files: [GeneratedFile] = [], diagnostics: [Diagnostic] = []) {
        self.files = files
        self.diagnostics = diagnostics
    }
}
