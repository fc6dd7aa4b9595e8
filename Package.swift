// swift-tools-version:6.0
import PackageDescription

let package = Package(
    name: "fabricc",
    platforms: [.macOS(.v15)],
    products: [
        .executable(name: "fabricc", targets: ["fabricc"]),
        .executable(name: "fabricc-bench", targets: ["fabricc-bench"]),
        .library(name: "FabricDriver", targets: ["FabricDriver"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
    ],
    targets: [
        .target(name: "FabricDiagnostics"),
        .target(name: "FabricSyntax", dependencies: ["FabricDiagnostics"]),
        .target(name: "FabricSema", dependencies: ["FabricDiagnostics", "FabricSyntax"]),
        .target(name: "FabricBackends", dependencies: ["FabricDiagnostics", "FabricSema"]),
        .target(
            name: "FabricDriver",
            dependencies: ["FabricDiagnostics", "FabricSyntax", "FabricSema", "FabricBackends"]
        ),
        .executableTarget(
            name: "fabricc",
            dependencies: [
                "FabricDriver",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "fabricc-bench",
            dependencies: [
                "FabricDriver", "FabricSema", "FabricSyntax", "FabricDiagnostics",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .testTarget(name: "FabricDiagnosticsTests", dependencies: ["FabricDiagnostics"]),
        .testTarget(name: "FabricSyntaxTests", dependencies: ["FabricSyntax"]),
        .testTarget(name: "FabricSemaTests", dependencies: ["FabricSema", "FabricDriver"]),
        .testTarget(name: "FabricDriverTests", dependencies: ["FabricDriver", "fabricc"]),
        .testTarget(name: "GoldenTests", dependencies: ["FabricDriver"]),
    ],
    swiftLanguageModes: [.v6]
)
