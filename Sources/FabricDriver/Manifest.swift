import Crypto
import FabricBase
import Foundation

/// `out/MANIFEST.json`: what fabricc wrote into an output directory and
/// from what. The writer reads it back to know which files are its own
/// (only those are ever removed) and `--check` compares it like any file.
public struct Manifest: Sendable, Equatable {
    public struct Input: Sendable, Equatable {
        /// Relative to the project root.
        public let path: String
        public let sha256: String
    }

    public struct Output: Sendable, Equatable {
        /// Relative to the output directory.
        public let path: String
        public let backend: String
        public let sha256: String
    }

    public static let fileName = "MANIFEST.json"

    public var compiler: String
    public var inputs: [Input]
    public var outputs: [Output]

    public init(compiler: String, inputs: [Input], outputs: [Output]) {
        self.compiler = compiler
        self.inputs = inputs.sorted { $0.path < $1.path }
        self.outputs = outputs.sorted { $0.path < $1.path }
    }

    public static func sha256(_ bytes: some DataProtocol) -> String {
        let digits = Array("0123456789abcdef".utf8)
        var hex: [UInt8] = []
        hex.reserveCapacity(64)
        for byte in SHA256.hash(data: bytes) {
            hex.append(digits[Int(byte >> 4)])
            hex.append(digits[Int(byte & 0xF)])
        }
        return String(decoding: hex, as: UTF8.self)
    }

    /// The file's bytes: two-space indented JSON, keys in a fixed order,
    /// one final line break, so the same build gives the same bytes.
    public var json: String {
        func string(_ s: String) -> String {
            // Printable ASCII without a quote or backslash is its own JSON
            // string (nearly every path); the rest goes through Foundation.
            if s.allUTF8({ $0 >= 0x20 && $0 < 0x7F && $0 != 0x22 && $0 != 0x5C }) { return "\"" + s + "\"" }
            let data = try? JSONSerialization.data(
                withJSONObject: s, options: [.fragmentsAllowed, .withoutEscapingSlashes])
            return data.map { String(decoding: $0, as: UTF8.self) } ?? "\"\""
        }
        var out = "{\n  \"fabricc\": \(string(compiler)),\n  \"inputs\": ["
        out += inputs.map { "\n    { \"path\": \(string($0.path)), \"sha256\": \(string($0.sha256)) }" }.joined(
            separator: ",")
        out += inputs.isEmpty ? "],\n" : "\n  ],\n"
        out += "  \"outputs\": ["
        out += outputs.map {
            "\n    { \"path\": \(string($0.path)), \"backend\": \(string($0.backend)), \"sha256\": \(string($0.sha256)) }"
        }.joined(separator: ",")
        out += outputs.isEmpty ? "]\n}\n" : "\n  ]\n}\n"
        return out
    }

    /// Reads a manifest fabricc wrote; nil for anything else.
    public static func parse(_ data: Data) -> Manifest? {
        guard let object = try? JSONSerialization.jsonObject(with: data) as? [String: Any],
            let compiler = object["fabricc"] as? String,
            let inputs = object["inputs"] as? [[String: String]],
            let outputs = object["outputs"] as? [[String: String]]
        else { return nil }
        var manifest = Manifest(compiler: compiler, inputs: [], outputs: [])
        for i in inputs {
            guard let path = i["path"], let sha = i["sha256"] else { return nil }
            manifest.inputs.append(Input(path: path, sha256: sha))
        }
        for o in outputs {
            // A path outside its backend's folder is not one fabricc wrote.
            guard let path = o["path"], let backend = o["backend"], let sha = o["sha256"], OutputWriter.isSafe(path),
                OutputWriter.backend(of: path) == backend, path.contains("/")
            else { return nil }
            manifest.outputs.append(Output(path: path, backend: backend, sha256: sha))
        }
        return manifest
    }
}
