import FabricBase
import FabricDiagnostics
import FabricDriver
import FabricSema
import FabricSyntax
import Foundation
import Testing

/// Inputs the libFuzzer campaign (`scripts/fuzz`) found crashing or hanging,
/// kept in `Fuzz/regressions/` and run through what the harness runs: the
/// whole build, every diagnostic format, the IR JSON and the output writer.
/// An input is a bundle as `Fuzz/FuzzInput.swift` reads it: `main.fab`,
/// then `#>>> PATH` sections for more files, `#>>> @env` for the
/// environment, `#>>> @previous/PATH` for the previous build.
struct FuzzRegressionTests {
    static let folder = URL(fileURLWithPath: #filePath)
        .deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
        .appendingPathComponent("Fuzz/regressions")

    static var inputs: [String] {
        let names = (try? FileManager.default.contentsOfDirectory(atPath: folder.path)) ?? []
        return names.filter { !$0.hasPrefix(".") && !$0.hasSuffix(".md") }.sorted()
    }

    /// A kept timeout (the fuzzer's limit is 10 s under ASan) must at least
    /// finish within the minute here too, in a debug build.
    @Test(.timeLimit(.minutes(1)), arguments: inputs)
    func keptInputBuildsWithoutCrashing(_ name: String) throws {
        let bytes = try [UInt8](Data(contentsOf: Self.folder.appendingPathComponent(name)))
        let input = Self.split(bytes)
        var files = input.files
        var options = BuildOptions(
            check: CheckOptions(warningsAsErrors: input.warningsAsErrors), environment: input.environment,
            writeSecrets: true, previous: input.previous, allowBreaking: input.allowBreaking)
        var result = Driver.build(
            "main.fab", options: options, provider: MemorySourceProvider(bytes: files, workingDirectory: "/f"))
        // As the harness does: a secret without a value gets a fake one.
        if let ir = result.check.ir, !ir.secrets.isEmpty {
            for secret in ir.secrets {
                switch secret.source {
                case .environment(let variable):
                    options.environment[variable] = options.environment[variable] ?? "fuzz-secret"
                case .file(let path):
                    for file in result.check.sources.files {
                        let absolute = Paths.join(Paths.directory(of: Paths.join("/f", file.displayPath)), path)
                        files[absolute] = files[absolute] ?? Array("fuzz-secret\n".utf8)
                    }
                }
            }
            result = Driver.build(
                "main.fab", options: options, provider: MemorySourceProvider(bytes: files, workingDirectory: "/f"))
        }
        for format in DiagnosticFormat.allCases {
            _ = Driver.render([result.asCheckResult], format: format, colors: false, errorLimit: 0)
        }
        if let ir = result.check.ir { _ = ir.json(sources: result.check.sources) }
        guard !result.hasErrors else { return }
        let out = FileManager.default.temporaryDirectory.appendingPathComponent("fabricc-fuzz-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: out) }
        try OutputWriter.write(result.plan, to: out.appendingPathComponent("out").path)
        try SecretWriter.write(
            result.secretFiles, backends: result.backends, to: out.appendingPathComponent("secrets").path)
    }

    /// The bundle's files (under `/f`), environment, previous build and flags.
    static func split(_ bytes: [UInt8]) -> (
        files: [String: [UInt8]], environment: [String: String], previous: [String: String],
        allowBreaking: Bool, warningsAsErrors: Bool
    ) {
        var files: [String: [UInt8]] = [:]
        var environment: [String: String] = [:]
        var previous: [String: String] = [:]
        var allowBreaking = false
        var warningsAsErrors = false
        let header = Array("#>>> ".utf8)
        var sections: [(name: String, content: ArraySlice<UInt8>)] = []
        var name = "main.fab"
        var start = 0
        var i = 0
        while i < bytes.count {
            if i == 0 || bytes[i - 1] == 0x0A, bytes[i...].starts(with: header) {
                sections.append((name, bytes[start..<i]))
                var end = i + header.count
                while end < bytes.count, bytes[end] != 0x0A { end += 1 }
                name = String(decoding: bytes[(i + header.count)..<end], as: UTF8.self)
                start = min(end + 1, bytes.count)
                i = start
                continue
            }
            i += 1
        }
        sections.append((name, bytes[start...]))
        for (name, content) in sections {
            let text = String(decoding: content, as: UTF8.self)
            if name == "@env" {
                for line in text.split(separator: "\n") where !line.hasPrefix("#") {
                    guard let eq = line.firstIndex(of: "=") else { continue }
                    environment[String(line[..<eq])] = String(line[line.index(after: eq)...])
                }
            } else if name == "@allow-breaking" {
                allowBreaking = true
            } else if name == "@warnings-as-errors" {
                warningsAsErrors = true
            } else if name.hasPrefix("@previous/") {
                previous[String(name.dropFirst("@previous/".count))] = text
            } else {
                files[Paths.join("/f", name)] = Array(content)
            }
        }
        return (files, environment, previous, allowBreaking, warningsAsErrors)
    }
}
