import Foundation

/// The package's root folder (where `Package.swift` is), for tests that
/// read `Golden/`, `examples/`, `docs/` or `Sources/`. The one definition:
/// every suite uses it.
public enum PackageRoot {
    public static let url = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent()  // FabricTestSupport
        .deletingLastPathComponent()  // Tests
        .deletingLastPathComponent()

    /// `relative` under the root (`Golden/build`).
    public static func appending(_ relative: String) -> URL { url.appendingPathComponent(relative) }
}
