// swift-tools-version:6.0
import Foundation
import PackageDescription

// One folder per backend under Templates/, each bundled as it is: a new
// backend's folder is picked up without a line here.
let templateFolders =
    ((try? FileManager.default.contentsOfDirectory(atPath: Context.packageDirectory + "/Templates")) ?? [])
    .filter { name in
        var isFolder: ObjCBool = false
        return !name.hasPrefix(".")
            && FileManager.default.fileExists(
                atPath: Context.packageDirectory + "/Templates/" + name, isDirectory: &isFolder)
            && isFolder.boolValue
    }
    .sorted()

let package = Package(
    // Linux only: the output writer reads /proc/self/mountinfo and calls
    // Glibc, and the tests drive Linux network namespaces. No platform is
    // claimed that CI does not build.
    name: "fabricc",
    products: [
        .executable(name: "fabricc", targets: ["fabricc"]),
        .executable(name: "fabricc-bench", targets: ["fabricc-bench"]),
        .library(name: "FabricDriver", targets: ["FabricDriver"]),
        .library(name: "FabricBackends", targets: ["FabricBackends"]),
    ],
    dependencies: [
        .package(url: "https://github.com/apple/swift-argument-parser", from: "1.8.2"),
        .package(url: "https://github.com/hummingbird-project/swift-mustache", from: "2.1.1"),
        .package(url: "https://github.com/jpsim/Yams", from: "6.2.2"),
        .package(url: "https://github.com/apple/swift-crypto", from: "3.12.3"),
    ],
    targets: [
        .target(name: "FabricDiagnostics"),
        // Addresses and paths: the values every stage shares, so a backend
        // needs neither the syntax nor the lexer to name them.
        .target(name: "FabricBase"),
        .target(name: "FabricSyntax", dependencies: ["FabricDiagnostics", "FabricBase"]),
        .target(name: "FabricSema", dependencies: ["FabricDiagnostics", "FabricBase", "FabricSyntax"]),
        // The backends' templates (Templates/<backend>/*.mustache), at the
        // top level beside Sources/ and bundled as a resource.
        .target(name: "FabricTemplates", path: "Templates", resources: templateFolders.map { .copy($0) }),
        .target(
            name: "FabricBackends",
            dependencies: [
                "FabricDiagnostics", "FabricBase", "FabricSema", "FabricTemplates",
                .product(name: "Yams", package: "Yams"),
            ]
        ),
        .target(
            name: "FabricDriver",
            dependencies: [
                "FabricDiagnostics", "FabricBase", "FabricSyntax", "FabricSema", "FabricBackends",
                .product(name: "Crypto", package: "swift-crypto"),
            ]
        ),
        // The language server (`fabricc lsp`), above the driver.
        .target(
            name: "FabricLSP",
            dependencies: [
                "FabricDriver", "FabricBackends", "FabricSema", "FabricSyntax", "FabricDiagnostics", "FabricBase",
            ]
        ),
        .executableTarget(
            name: "fabricc",
            dependencies: [
                "FabricDriver", "FabricBackends", "FabricDiagnostics", "FabricSyntax", "FabricLSP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        .executableTarget(
            name: "fabricc-bench",
            dependencies: [
                "FabricDriver", "FabricSema", "FabricSyntax", "FabricDiagnostics", "FabricBase", "FabricLSP",
                .product(name: "ArgumentParser", package: "swift-argument-parser"),
            ]
        ),
        // The libFuzzer harness (scripts/fuzz). Built normally it replays inputs
        // (fabricc-fuzz Fuzz/corpus); scripts/fuzz builds it instrumented.
        .executableTarget(
            name: "fabricc-fuzz",
            dependencies: [
                "FabricDriver", "FabricBackends", "FabricSema", "FabricSyntax", "FabricDiagnostics", "FabricBase",
                "FabricLSP",
            ],
            path: "Fuzz", exclude: ["corpus", "regressions"]),
        .testTarget(name: "FabricDiagnosticsTests", dependencies: ["FabricDiagnostics"]),
        .testTarget(
            name: "FabricSyntaxTests",
            dependencies: ["FabricSyntax", "FabricDiagnostics", "FabricBase", "FabricTestSupport"]),
        .testTarget(
            name: "FabricSemaTests",
            dependencies: ["FabricSema", "FabricDriver", "FabricSyntax", "FabricDiagnostics", "FabricBase"]),
        // Helpers shared by the test targets (running the real tools).
        .target(name: "FabricTestSupport", path: "Tests/FabricTestSupport"),
        .testTarget(
            name: "FabricBackendsTests",
            dependencies: [
                "FabricBackends", "FabricSema", "FabricSyntax", "FabricDriver", "FabricTestSupport",
                "FabricDiagnostics", "FabricBase",
                .product(name: "Yams", package: "Yams"),
                // The reference Mustache implementation the template engine is
                // checked against (TemplateEngineTests).
                .product(name: "Mustache", package: "swift-mustache"),
            ], resources: [.copy("antrea")]),
        .testTarget(
            name: "FabricDriverTests",
            dependencies: [
                "FabricDriver", "FabricBackends", "fabricc", "FabricTestSupport", "FabricSema", "FabricSyntax",
                "FabricDiagnostics", "FabricBase",
            ]),
        .testTarget(
            name: "GoldenTests",
            dependencies: ["FabricDriver", "FabricBackends", "FabricSyntax", "FabricDiagnostics", "FabricTestSupport"]),
    ],
    swiftLanguageModes: [.v6]
)
