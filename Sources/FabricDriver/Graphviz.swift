import FabricBase
import Foundation

/// Graphviz's `dot`, run to render DOT into a picture. fabricc writes DOT
/// itself; `dot` is needed only for SVG, PNG or PDF.
public enum Graphviz {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// The formats `-o` accepts, by file extension.
    public static let formats = ["svg", "png", "pdf"]

    /// `dot` on PATH, or nil.
    public static func dot(environment: [String: String] = ProcessInfo.processInfo.environment) -> String? {
        for dir in (environment["PATH"] ?? "/usr/bin:/bin").split(separator: ":") {
            let path = "\(dir)/dot"
            if FileManager.default.isExecutableFile(atPath: path) { return path }
        }
        return nil
    }

    /// Renders `dot` text as `format` through Graphviz; the text goes on
    /// standard input, so no file name reaches its command line.
    public static func render(_ text: String, format: String) throws(Failure) -> Data {
        guard let dot = dot() else {
            throw Failure(
                description:
                    "Graphviz's `dot` is not installed (Debian: apt install graphviz); without -o, or with -o FILE.dot, fabricc graph writes DOT, which needs no Graphviz"
            )
        }
        let process = Process()
        process.executableURL = URL(fileURLWithPath: dot)
        process.arguments = ["-T\(format)"]
        let input = Pipe()
        let output = Pipe()
        let errors = Pipe()
        process.standardInput = input
        process.standardOutput = output
        process.standardError = errors
        do { try process.run() } catch { throw Failure(description: "cannot run \(dot): \(error)") }
        // Written on another thread: dot may fill its output pipe before it has read all its input.
        let data = Data(text.utf8)
        let writer = Thread {
            input.fileHandleForWriting.write(data)
            try? input.fileHandleForWriting.close()
        }
        writer.start()
        let result = output.fileHandleForReading.readDataToEndOfFile()
        let stderr = errors.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        guard process.terminationStatus == 0 else {
            throw Failure(
                description: "dot failed (\(process.terminationStatus)): \(String(decoding: stderr, as: UTF8.self))")
        }
        return result
    }
}
