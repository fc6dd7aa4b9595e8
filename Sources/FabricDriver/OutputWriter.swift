import FabricBackends
#if canImport(Glibc)
import Glibc
#endif
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
                try writeNew(temporary.path, data, mode: mode_t(mode))
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

    /// Creates `path` (never following or reusing an existing file) with its
    /// final mode from the first byte, so a secret is never readable by
    /// others, even briefly, and flushes it before the rename publishes it.
    static func writeNew(_ path: String, _ data: Data, mode: mode_t) throws(Failure) {
        unlink(path)
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // The umask may have narrowed the mode; set it exactly.
        fchmod(fd, mode)
        let ok = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 { if errno == EINTR { continue }; return false }
                offset += n
            }
            return true
        }
        guard ok, fsync(fd) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw Failure(description: "cannot write \(path): \(reason)")
        }
    }
}
