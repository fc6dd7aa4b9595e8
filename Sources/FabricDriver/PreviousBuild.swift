import Foundation

/// Reads the output tree of an earlier build (`fabricc build --previous DIR`)
/// so targets can refuse changes their devices would refuse.
public enum PreviousBuild {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Every regular file under `directory` by `/`-separated relative path.
    /// Files that are not UTF-8 text are left out: no target reads them.
    public static func read(_ directory: String) throws(Failure) -> [String: String] {
        let root = URL(fileURLWithPath: directory).standardizedFileURL
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: root.path, isDirectory: &isDirectory), isDirectory.boolValue else {
            throw Failure(description: "--previous \(directory): no such directory")
        }
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey]) else {
            throw Failure(description: "--previous \(directory): cannot be read")
        }
        var files: [String: String] = [:]
        for case let url as URL in walker {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]))?.isRegularFile == true,
                  let data = FileManager.default.contents(atPath: url.path),
                  let text = String(data: data, encoding: .utf8) else { continue }
            files[String(url.standardizedFileURL.path.dropFirst(root.path.count + 1))] = text
        }
        return files
    }
}
