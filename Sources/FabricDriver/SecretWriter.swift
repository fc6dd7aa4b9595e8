import FabricBackends
import FabricBase
import FabricSyntax
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Writes the files that hold secret values (`--secrets DIR`): outside the
/// committed tree, the folder and its subfolders at mode 0700, every file
/// at 0600 from its first byte, each replaced atomically. Nothing of them
/// reaches `out/`, its manifest or a diff.
public enum SecretWriter {
    /// Refuses a folder users would commit or that another user controls:
    /// inside (or equal to) the output folder or the project root, a
    /// symlink, not a folder, or owned by someone else.
    public static func validate(_ directory: String, output: String, projectRoot: String) throws(OutputWriter.Failure) {
        let secrets = real(directory)
        let out = real(output)
        let root = real(projectRoot)
        func inside(_ a: String, _ b: String) -> Bool { a == b || (b == "/" ? true : a.hasPrefix(b + "/")) }
        if inside(secrets, out) || inside(out, secrets) {
            throw failure(
                "--secrets \(directory) overlaps the output folder \(output), which is committed; keep the secrets outside it"
            )
        }
        // A project rooted at `/` (`--root /`) would forbid every folder.
        if root != "/", inside(secrets, root) {
            throw failure(
                "--secrets \(directory) lies inside the project \(projectRoot), whose files are committed; keep the secrets outside it"
            )
        }
        var st = stat()
        if lstat(directory, &st) == 0 {
            guard (st.st_mode & S_IFMT) == S_IFDIR else {
                throw failure("--secrets \(directory) is not a real folder (a symlink or a file)")
            }
            guard st.st_uid == geteuid() else { throw failure("--secrets \(directory) belongs to another user") }
        }
    }

    /// Writes `files` (paths relative to `directory`); removes the secret
    /// files of `backends` that this build no longer produces. Returns how
    /// many files changed.
    @discardableResult
    public static func write(_ files: [GeneratedFile], backends: Set<String>, to directory: String) throws(OutputWriter
        .Failure) -> Int
    {
        try folder(directory, createParents: true)
        for backend in backends { OutputWriter.removeTemporaries(in: directory + "/" + backend) }
        var changed = 0
        var produced: Set<String> = []
        for file in files {
            guard OutputWriter.isSafe(file.path) else {
                throw failure("refusing to write a secret outside \(directory): \(file.path)")
            }
            produced.insert(file.path)
            var current = directory
            for part in file.path.split(separator: "/").dropLast() {
                current += "/" + part
                try folder(current, createParents: false)
            }
            let data = Data(file.contents.utf8)
            let path = directory + "/" + file.path
            if TreeReader.read(file.path, in: directory).data == data {
                // The same value: keep the file, but never readable by others.
                let fd = open(path, O_RDONLY | O_NOFOLLOW | O_CLOEXEC)
                if fd >= 0 {
                    fchmod(fd, 0o600)
                    close(fd)
                }
                continue
            }
            let temporary = Paths.parent(path) + "/.\(Paths.last(path)).fabricc-\(getpid())"
            try OutputWriter.writeNew(temporary, data, mode: 0o600)
            let fd = open(temporary, O_RDONLY | O_CLOEXEC)
            if fd >= 0 {
                fsync(fd)
                close(fd)
            }
            guard rename(temporary, path) == 0 else {
                let reason = String(cString: strerror(errno))
                unlink(temporary)
                throw failure("cannot write \(path): \(reason)")
            }
            changed += 1
        }
        // A device that left the intent leaves no password behind.
        for backend in backends.sorted() {
            let folder = directory + "/" + backend
            var st = stat()
            guard lstat(folder, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { continue }
            for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? []
            where isSecretFileName(name) && !produced.contains(backend + "/" + name) {
                if lstat(folder + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG {
                    unlink(folder + "/" + name)
                    changed += 1
                }
            }
        }
        return changed
    }

    /// `<device>.secrets.conf`, `.set` or `.xml`: the names the backends give.
    static func isSecretFileName(_ name: String) -> Bool {
        !name.hasPrefix(".") && [".secrets.conf", ".secrets.set", ".secrets.xml"].contains { name.hasSuffix($0) }
    }

    /// Makes `path` a real folder of the user's at mode 0700.
    static func folder(_ path: String, createParents: Bool) throws(OutputWriter.Failure) {
        var st = stat()
        if lstat(path, &st) != 0 {
            if createParents {
                do {
                    try FileManager.default.createDirectory(
                        atPath: Paths.parent(path), withIntermediateDirectories: true)
                } catch {
                    throw failure("cannot create \(Paths.parent(path)): \(error.localizedDescription)")
                }
            }
            guard mkdir(path, 0o700) == 0 || errno == EEXIST else {
                throw failure("cannot create \(path): \(String(cString: strerror(errno)))")
            }
            guard lstat(path, &st) == 0 else {
                throw failure("cannot create \(path): \(String(cString: strerror(errno)))")
            }
        }
        guard (st.st_mode & S_IFMT) == S_IFDIR else {
            throw failure(
                "\(path) is not a real folder (a symlink or a file); secrets are written into real folders only")
        }
        guard st.st_uid == geteuid() else { throw failure("\(path) belongs to another user") }
        if st.st_mode & 0o777 != 0o700, chmod(path, 0o700) != 0 {
            throw failure("cannot make \(path) private (mode 0700): \(String(cString: strerror(errno)))")
        }
    }

    /// The path with symlinks of its existing part resolved, for comparing.
    static func real(_ path: String) -> String {
        let absolute = URL(fileURLWithPath: path).standardizedFileURL.path
        var existing = absolute
        var rest: [String] = []
        while !FileManager.default.fileExists(atPath: existing), existing != "/" {
            rest.insert(Paths.last(existing), at: 0)
            existing = Paths.parent(existing)
        }
        let resolved = URL(fileURLWithPath: existing).resolvingSymlinksInPath().path
        return ([resolved == "/" ? "" : resolved] + rest).joined(separator: "/").nonEmpty ?? "/"
    }

    static func failure(_ message: String) -> OutputWriter.Failure {
        OutputWriter.Failure(description: message, code: .secretsFolder)
    }
}

extension String {
    fileprivate var nonEmpty: String? { isEmpty ? nil : self }
}
