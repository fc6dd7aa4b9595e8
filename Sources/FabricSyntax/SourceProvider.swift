import FabricBase
import Foundation

/// Where source files come from: the disk, or memory in tests.
public protocol SourceProvider: Sendable {
    /// The canonical absolute path (symbolic links resolved) of an existing
    /// file, or nil when there is none.
    func canonicalPath(_ absolutePath: String) -> String?
    /// The bytes of a file, or a reason it cannot be read.
    func read(_ absolutePath: String) -> Result<[UInt8], SourceReadError>
    /// The absolute form of a path given by the user.
    func absolute(_ path: String) -> String
    /// Why ``canonicalPath(_:)`` found nothing: "no such file", "a symlink
    /// loop", "permission denied", …
    func missingReason(_ absolutePath: String) -> String
}

extension SourceProvider {
    public func missingReason(_ absolutePath: String) -> String { "no such file" }
}

public struct SourceReadError: Error, Sendable, CustomStringConvertible {
    public let description: String
    public init(_ description: String) { self.description = description }
}

/// Reads files from the local file system.
public struct DiskSourceProvider: SourceProvider {
    /// Relative paths are taken from here; nil: the process's directory.
    public let workingDirectory: String?

    public init(workingDirectory: String? = nil) {
        self.workingDirectory = workingDirectory
    }

    public func canonicalPath(_ absolutePath: String) -> String? {
        // A NUL would end the C string: `a\0b.fab` must not open `a`.
        guard !absolutePath.utf8.contains(0), let resolved = realpath(absolutePath, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public func missingReason(_ absolutePath: String) -> String {
        if absolutePath.utf8.contains(0) { return "a file name cannot hold a NUL character" }
        if let resolved = realpath(absolutePath, nil) {
            free(resolved)
            return "no such file"
        }
        return Self.reason(errno)
    }

    static func reason(_ code: Int32) -> String {
        switch code {
        case ENOENT: "no such file"
        case ELOOP: "a loop of symbolic links"
        case EACCES, EPERM: "permission denied"
        case ENOTDIR: "a part of the path is not a folder"
        case ENAMETOOLONG: "the path is too long"
        default: String(cString: strerror(code))
        }
    }

    public func read(_ absolutePath: String) -> Result<[UInt8], SourceReadError> {
        guard !absolutePath.utf8.contains(0) else {
            return .failure(SourceReadError("a file name cannot hold a NUL character"))
        }
        // Non-blocking, and the type checked on the open file: a FIFO never
        // hangs the build, a device is never read.
        let fd = open(absolutePath, O_RDONLY | O_NONBLOCK | O_CLOEXEC)
        guard fd >= 0 else { return .failure(SourceReadError(Self.reason(errno))) }
        defer { close(fd) }
        var st = stat()
        guard fstat(fd, &st) == 0 else { return .failure(SourceReadError(Self.reason(errno))) }
        switch st.st_mode & S_IFMT {
        case S_IFREG: break
        case S_IFDIR: return .failure(SourceReadError("is a directory"))
        case S_IFIFO: return .failure(SourceReadError("is a FIFO, not a file"))
        case S_IFCHR, S_IFBLK: return .failure(SourceReadError("is a device, not a file"))
        case S_IFSOCK: return .failure(SourceReadError("is a socket, not a file"))
        default: return .failure(SourceReadError("is not a regular file"))
        }
        // Straight into the array, sized from the file (one byte more, to
        // see the end in the same read): reading through Data copied a
        // big intent or lock once more. A file that grows meanwhile is read
        // to its new end.
        var bytes = [UInt8](repeating: 0, count: max(0, Int(st.st_size)) + 1)
        var filled = 0
        while true {
            if filled == bytes.count { bytes.append(contentsOf: repeatElement(0, count: max(bytes.count, 4096))) }
            let n = bytes.withUnsafeMutableBytes { raw in
                Glibc.read(fd, raw.baseAddress! + filled, raw.count - filled)
            }
            if n < 0 {
                if errno == EINTR { continue }
                return .failure(SourceReadError(Self.reason(errno)))
            }
            if n == 0 { break }
            filled += n
        }
        bytes.removeLast(bytes.count - filled)
        return .success(bytes)
    }

    public func absolute(_ path: String) -> String {
        if path.hasPrefix("/") { return Paths.normalize(path) }
        return Paths.normalize((workingDirectory ?? FileManager.default.currentDirectoryPath) + "/" + path)
    }
}

/// Files held in memory, keyed by absolute path; for tests and fuzzing.
public struct MemorySourceProvider: SourceProvider {
    public var files: [String: [UInt8]]
    public var workingDirectory: String

    public init(files: [String: String], workingDirectory: String = "/project") {
        self.files = files.mapValues { Array($0.utf8) }
        self.workingDirectory = workingDirectory
    }

    public init(bytes: [String: [UInt8]], workingDirectory: String = "/project") {
        self.files = bytes
        self.workingDirectory = workingDirectory
    }

    public func canonicalPath(_ absolutePath: String) -> String? {
        let p = Paths.normalize(absolutePath)
        return files[p] == nil ? nil : p
    }

    public func read(_ absolutePath: String) -> Result<[UInt8], SourceReadError> {
        files[Paths.normalize(absolutePath)].map { .success($0) } ?? .failure(SourceReadError("no such file"))
    }

    public func absolute(_ path: String) -> String {
        Paths.normalize(path.hasPrefix("/") ? path : workingDirectory + "/" + path)
    }
}
