import FabricDiagnostics
import Foundation

/// Reads the output tree of an earlier build (`fabricc build --previous DIR`)
/// so targets can refuse changes their devices would refuse. The tree is
/// read as ``TreeReader`` reads: no link is followed, no FIFO or device
/// opened.
public enum PreviousBuild {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
        public let code: DiagnosticCode?
        /// A usage error (exit 64): the folder does not exist.
        public let isUsage: Bool
    }

    /// The files a check reads, which the previous build must hold whole.
    static let required = ["antrea/ippools.yaml"]

    /// Every regular file under `directory` by `/`-separated relative path.
    /// Files that are not UTF-8 text are left out: no target reads them.
    public static func read(_ directory: String) throws(Failure) -> [String: String] {
        var st = stat()
        guard stat(directory, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
            throw Failure(description: "--previous \(directory): no such directory", code: nil, isUsage: true)
        }
        var files: [String: String] = [:]
        for (path, entry) in TreeReader.walk(directory).sorted(by: { $0.key < $1.key }) {
            switch entry {
            case .file(let data):
                if let text = String(data: data, encoding: .utf8) { files[path] = text }
            case .missing:
                continue
            case .refused(let why):
                throw Failure(
                    description:
                        "--previous \(directory): \(path) is \(why); fabricc never reads or follows such an entry",
                    code: .outputEntry, isUsage: false)
            }
        }
        // A check that finds nothing to compare with must not pass in silence.
        let manifest = files[Manifest.fileName].flatMap { Manifest.parse(Data($0.utf8)) }
        for path in required {
            if let text = files[path] {
                if text.allSatisfy(\.isWhitespace) {
                    throw Failure(
                        description: "--previous \(directory): \(path) is empty; fabricc never writes it empty",
                        code: .previousBuild, isUsage: false)
                }
            } else if manifest == nil {
                throw Failure(
                    description:
                        "--previous \(directory) holds no build of fabricc: neither \(Manifest.fileName) nor \(path)",
                    code: .previousBuild, isUsage: false)
            } else if manifest!.outputs.contains(where: { $0.path == path }) {
                throw Failure(
                    description:
                        "--previous \(directory): \(path) is missing, though its \(Manifest.fileName) lists it",
                    code: .previousBuild, isUsage: false)
            }
        }
        return files
    }
}
