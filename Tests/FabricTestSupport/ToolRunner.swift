import Foundation

/// Runs the real tools the tests are judged by (bird, xmllint, shellcheck, …).
public enum ToolRunner {
    /// Set by `scripts/test`, which installs the tools: tool tests run (and
    /// fail) rather than skip when a tool is missing.
    public static var toolsRequired: Bool { ProcessInfo.processInfo.environment["FABRICC_REQUIRE_TOOLS"] == "1" }

    /// Whether a test needing `executable` should run.
    public static func available(_ executable: String) -> Bool {
        toolsRequired || FileManager.default.isExecutableFile(atPath: executable)
    }

    /// Runs a program; whether it exited 0, and its standard output and error together.
    public static func run(_ executable: String, _ arguments: [String]) throws -> (ok: Bool, output: String) {
        let result = try status(executable, arguments)
        return (result.status == 0, result.output)
    }

    /// Runs a program; its exit status, and its standard output and error together.
    public static func status(_ executable: String, _ arguments: [String]) throws -> (status: Int32, output: String) {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        let pipe = Pipe()
        process.standardOutput = pipe
        process.standardError = pipe
        try process.run()
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return (process.terminationStatus, String(decoding: data, as: UTF8.self))
    }
}
