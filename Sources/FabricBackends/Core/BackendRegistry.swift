import FabricDiagnostics

/// The code generators, in output order. Adding a backend is one line here.
public enum BackendRegistry {
    public static let all: [any Backend] = [
        BirdBackend(), JunosBackend(), EsxiBackend(), AntreaBackend(), OvsBackend(), CalicoBackend(),
        // Last: it links the files the others wrote.
        DocsBackend(),
    ]

    /// Names of the registered backends, in output order.
    public static var names: [String] { all.map(\.name) }

    public static func named(_ name: String) -> (any Backend)? { all.first { $0.name == name } }
}

extension DiagnosticCatalogue {
    /// Every code fabricc can report: the stages below the backends and
    /// each registered backend's range (a backend that reports nothing,
    /// such as docs, has none to list).
    public static let fabricc = DiagnosticCatalogue(
        coreGroups + BackendRegistry.all.map(\.diagnostics).filter { !$0.codes.isEmpty })
}
