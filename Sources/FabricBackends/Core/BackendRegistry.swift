/// The code generators, in output order.
public enum BackendRegistry {
    public static let all: [any Backend] = [BirdBackend(), JunosBackend(), EsxiBackend(), AntreaBackend(), OvsBackend()]

    /// Names of the registered backends, in output order.
    public static var names: [String] { all.map(\.name) }

    public static func named(_ name: String) -> (any Backend)? { all.first { $0.name == name } }
}
