import FabricBackends
import Foundation

/// Writes a build's files under the output directory, each one atomically
/// (a temporary file beside it, then a rename), so a reader never sees half
/// a file. Files whose bytes are unchanged are left alone and keep their
/// modification time. Called only for a build without errors.
public enum OutputWriter {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Returns how many files changed.
    @discardableResult
    public static func write(_ files: [GeneratedFile], to directory: String) throws(Failure) -> Int {
        let fm = FileManager.default
        var changed = 0
        for file in files {
            // Paths come from backends, never from the intent; still, never
            // let one leave the output directory.
            guard !file.path.hasPrefix("/"), !file.path.split(separator: "/").contains(where: { $0 == ".." || $0 == "." }) else {
                throw Failure(description: "refusing to write outside the output directory: \(file.path)")
            }
            let url = URL(fileURLWithPath: directory).appendingPathComponent(file.path)
            let data = Data(file.contents.utf8)
            let mode = file.isSensitive ? 0o600 : 0o644
            if let existing = fm.contents(atPath: url.path), existing == data,
               let attributes = try? fm.attributesOfItem(atPath: url.path),
               (attributes[.posixPermissions] as? Int) == mode {
                continue
            }
            do {
                try fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                let temporary = url.deletingLastPathComponent().appendingPathComponent(".\(url.lastPathComponent).fabricc-\(ProcessInfo.processInfo.processIdentifier)")
                // Created with its final mode, so a secret is never readable by others, even briefly.
                guard fm.createFile(atPath: temporary.path, contents: data, attributes: [.posixPermissions: mode]) else {
                    throw Failure(description: "cannot write \(temporary.path)")
                }
                if rename(temporary.path, url.path) != 0 {
                    let reason = String(cString: strerror(errno))
                    try? fm.removeItem(at: temporary)
                    throw Failure(description: "cannot write \(url.path): \(reason)")
                }
            } catch let failure as Failure {
                throw failure
            } catch {
                throw Failure(description: "cannot write \(url.path): \(error.localizedDescription)")
            }
            changed += 1
        }
        return changed
    }
}
