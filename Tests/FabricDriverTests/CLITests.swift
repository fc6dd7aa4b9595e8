import FabricTestSupport
import Foundation
import Testing

/// Runs the built `fabricc` executable, as a user would.
struct CLI {
    static var executable: URL {
        // The test bundle sits beside the products of the same build.
        let candidates = [
            Bundle.main.executableURL?.deletingLastPathComponent(),
            URL(fileURLWithPath: CommandLine.arguments[0]).deletingLastPathComponent(),
            PackageRoot.url.appendingPathComponent(".build/debug"),
        ].compactMap { $0?.appendingPathComponent("fabricc") }
        return candidates.first { FileManager.default.isExecutableFile(atPath: $0.path) } ?? candidates.last!
    }

    struct Result {
        let status: Int32
        let stdout: String
        let stderr: String
    }

    static func run(_ arguments: [String], in directory: URL? = nil, environment: [String: String] = [:]) throws
        -> Result
    {
        let process = Process()
        process.executableURL = executable
        process.arguments = arguments
        process.currentDirectoryURL = directory ?? PackageRoot.url
        var env = ProcessInfo.processInfo.environment
        env.removeValue(forKey: "NO_COLOR")
        for (k, v) in environment { env[k] = v }
        process.environment = env
        let out = Pipe()
        let err = Pipe()
        process.standardOutput = out
        process.standardError = err
        try process.run()
        let outData = out.fileHandleForReading.readDataToEndOfFile()
        let errData = err.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return Result(
            status: process.terminationStatus,
            stdout: String(decoding: outData, as: UTF8.self),
            stderr: String(decoding: errData, as: UTF8.self))
    }
}

/// A scratch directory with the given files, removed afterwards.
func withFiles(_ files: [String: String], _ body: (URL) throws -> Void) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fabricc-cli-\(UUID().uuidString)")
    defer { try? FileManager.default.removeItem(at: dir) }
    for (name, text) in files {
        let url = dir.appendingPathComponent(name)
        try FileManager.default.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
        try text.write(to: url, atomically: true, encoding: .utf8)
    }
    try body(dir)
}

@Suite(.serialized) struct CLITests {
    @Test func cleanFileExitsZeroSilently() throws {
        try withFiles(["ok.fab": "host a { address 10.0.0.1 }\n"]) { dir in
            let r = try CLI.run(["check", "ok.fab"], in: dir)
            #expect(r.status == 0)
            #expect(r.stdout.isEmpty && r.stderr.isEmpty)
        }
    }

    @Test func errorsExitOneWithEachFormat() throws {
        try withFiles(["bad.fab": "host a { address 10.0.0.300 }\n"]) { dir in
            let rich = try CLI.run(["check", "bad.fab"], in: dir)
            #expect(rich.status == 1)
            #expect(rich.stderr.hasPrefix("error[FAB1010]: malformed IPv4 address `10.0.0.300`\n --> bad.fab:1:25\n"))
            #expect(!rich.stderr.contains("\u{1B}["), "no colour when stderr is not a terminal")

            let short = try CLI.run(["check", "--diagnostic-format", "short", "bad.fab"], in: dir)
            #expect(short.status == 1)
            #expect(short.stderr == "bad.fab:1:25: error[FAB1010]: malformed IPv4 address `10.0.0.300`\n")

            let json = try CLI.run(["check", "--diagnostic-format", "json", "bad.fab"], in: dir)
            #expect(json.status == 1)
            let object = try JSONSerialization.jsonObject(with: Data(json.stdout.utf8)) as? [String: Any]
            #expect(object?["errors"] as? Int == 1)
        }
    }

    @Test func colourIsForcedOrRefused() throws {
        try withFiles(["bad.fab": "hots a { }\n"]) { dir in
            let forced = try CLI.run(["check", "--color", "always", "bad.fab"], in: dir)
            #expect(forced.stderr.contains("\u{1B}[1;31m"))
            let refused = try CLI.run(["check", "--color", "auto", "bad.fab"], in: dir, environment: ["NO_COLOR": "1"])
            #expect(!refused.stderr.contains("\u{1B}["))
        }
    }

    @Test func warningsAsErrors() throws {
        try withFiles(["main.fab": "include \"a.fab\"\ninclude \"a.fab\"\n", "a.fab": "host a { }\n"]) { dir in
            let plain = try CLI.run(["check", "main.fab"], in: dir)
            #expect(plain.status == 0)
            #expect(plain.stderr.contains("warning[FAB1035]"))
            let strict = try CLI.run(["check", "--warnings-as-errors", "main.fab"], in: dir)
            #expect(strict.status == 1)
            #expect(strict.stderr.contains("error[FAB1035]"))
        }
    }

    @Test func errorLimit() throws {
        let text = (1...30).map { "host h\($0) { mtu 0\($0) }" }.joined(separator: "\n")
        try withFiles(["many.fab": text]) { dir in
            let limited = try CLI.run(
                ["check", "--error-limit", "5", "--diagnostic-format", "short", "many.fab"], in: dir)
            #expect(limited.stderr.split(separator: "\n").count == 5)
            let rich = try CLI.run(["check", "--error-limit", "5", "many.fab"], in: dir)
            #expect(rich.stderr.contains("note: 25 more errors not shown"))
            let all = try CLI.run(["check", "--error-limit", "0", "--diagnostic-format", "short", "many.fab"], in: dir)
            #expect(all.stderr.split(separator: "\n").count == 30)
        }
    }

    @Test func severalFilesAreSeparateIntents() throws {
        try withFiles(["a.fab": "host a { }\n", "b.fab": "host a { mtu 1; mtu 2 }\n"]) { dir in
            let r = try CLI.run(["check", "--diagnostic-format", "short", "a.fab", "b.fab"], in: dir)
            #expect(r.status == 1)
            #expect(r.stderr == "b.fab:1:17: error[FAB2007]: `mtu` is set twice\n")
        }
    }

    @Test func missingFileIsADiagnosticNotACrash() throws {
        let r = try CLI.run(["check", "--diagnostic-format", "short", "no/such.fab"])
        #expect(r.status == 1)
        #expect(r.stderr == "no/such.fab:1:1: error[FAB0001]: cannot read `no/such.fab`: no such file\n")
    }

    @Test func usageErrorsExit64() throws {
        #expect(try CLI.run(["check"]).status == 64)
        #expect(try CLI.run(["check", "--diagnostic-format", "xml", "a.fab"]).status == 64)
        #expect(try CLI.run(["frobnicate"]).status == 64)
        #expect(try CLI.run(["explain", "FAB9999"]).status == 64)
        #expect(try CLI.run(["check", "--error-limit", "-1", "a.fab"]).status == 64)
    }

    @Test func versionHelpAndExplain() throws {
        let version = try CLI.run(["--version"])
        #expect(version.status == 0)
        #expect(version.stdout.hasPrefix("fabricc "))
        let help = try CLI.run(["--help"])
        #expect(help.status == 0)
        #expect(help.stdout.contains("fabricc check examples/dc1.fab"))
        let explain = try CLI.run(["explain", "fab1013"])
        #expect(explain.status == 0)
        #expect(explain.stdout.hasPrefix("FAB1013: prefix has host bits set (error)\n\n"))
        let near = try CLI.run(["explain", "FAB1103"])
        #expect(near.stderr.contains("did you mean FAB1013?") || near.stderr.contains("did you mean FAB1003?"))
    }

    @Test func dumpAST() throws {
        try withFiles(["a.fab": "host a { mtu 9000 }\n"]) { dir in
            let r = try CLI.run(["dump-ast", "a.fab"], in: dir)
            #expect(r.status == 0)
            #expect(
                r.stdout == """
                    file a.fab
                      block host 1:1-1:20
                        label name a 1:6-1:7
                        attribute mtu 1:10-1:18
                          integer 9000 1:14-1:18

                    """)
        }
    }

    @Test func examplesAllCheckClean() throws {
        let examples = try FileManager.default.contentsOfDirectory(
            atPath: PackageRoot.url.appendingPathComponent("examples").path
        )
        .filter { $0.hasSuffix(".fab") }.sorted()
        try #require(examples.count >= 6)
        let r = try CLI.run(["check"] + examples.map { "examples/" + $0 })
        #expect(r.status == 0)
        #expect(r.stderr.isEmpty, "\(r.stderr)")
    }

    @Test func dumpCommandsKeepStdoutForTheDump() throws {
        try withFiles(["a.fab": "host a { mtu 09 }\n"]) { dir in
            let r = try CLI.run(["dump-ast", "--diagnostic-format", "json", "a.fab"], in: dir)
            #expect(r.status == 1)
            #expect(r.stdout.hasPrefix("file a.fab\n"))
            #expect(r.stderr.contains("\"code\" : \"FAB1014\""))
        }
    }

    @Test func explainUnknownCodeSaysSo() throws {
        let r = try CLI.run(["explain", "FAB9999"])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("error: unknown diagnostic code `FAB9999`"))
    }
}
