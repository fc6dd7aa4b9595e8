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
        guard let resolved = realpath(absolutePath, nil) else { return nil }
        defer { free(resolved) }
        return String(cString: resolved)
    }

    public func read(_ absolutePath: String) -> Result<[UInt8], SourceReadError> {
        var isDirectory: ObjCBool = false
        guard FileManager.default.fileExists(atPath: absolutePath, isDirectory: &isDirectory) else {
            return .failure(SourceReadError("no such file"))
        }
        if isDirectory.boolValue { return .failure(SourceReadError("is a directory")) }
        guard let data = FileManager.default.contents(atPath: absolutePath) else {
            return .failure(SourceReadError("permission denied or unreadable"))
        }
        return .success([UInt8](data))
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

/// Lexical path helpers (no file system access).
public enum Paths {
    /// Removes `.` and empty components and folds `..`; keeps a leading `/`
    /// and, for relative paths, leading `..` components.
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = out.last, last != ".." {
                out.removeLast()
            } else if part == "..", absolute {
                continue
            } else {
                out.append(part)
            }
        }
        let joined = out.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    public static func join(_ directory: String, _ path: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        if directory == "." { return normalize(path) }
        return normalize(directory + "/" + path)
    }
}
