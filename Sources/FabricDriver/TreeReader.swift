import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Reads files of a tree that someone else may have written (the committed
/// output, `--previous`, the secrets folder) without ever following a link:
/// every folder on the way is opened with `O_NOFOLLOW` from its parent, and
/// only a regular file is read. A symlink committed as `out/bird/kvm02.conf`
/// pointing at `/proc/self/environ` is reported, never read, so its target's
/// bytes cannot reach a diff or a log; a FIFO cannot hang the build and a
/// device cannot feed it without end.
enum TreeReader {
    /// What stands at a path, when it is not a readable regular file.
    enum Refusal: Sendable, Equatable, CustomStringConvertible {
        case symlink, directory, device, fifo, socket
        /// A folder on the way is a symlink or not a folder.
        case notAFolder(String)
        case unreadable(String)

        var description: String {
            switch self {
            case .symlink: "a symlink"
            case .directory: "a folder"
            case .device: "a device"
            case .fifo: "a FIFO"
            case .socket: "a socket"
            case .notAFolder(let part): "behind `\(part)`, which is not a real folder (a symlink or a file)"
            case .unreadable(let reason): "unreadable: \(reason)"
            }
        }
    }

    enum Entry: Sendable, Equatable {
        case file(Data)
        case missing
        case refused(Refusal)

        var data: Data? { if case .file(let d) = self { d } else { nil } }
    }

    /// The entry at `relative` (`/`-separated, checked by
    /// ``OutputWriter/isSafe(_:)``) under `root`. `root` itself may be a
    /// symlink: the user named it.
    static func read(_ relative: String, in root: String) -> Entry {
        var fd = open(root, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else {
            return errno == ENOENT || errno == ENOTDIR
                ? .missing : .refused(.unreadable(String(cString: strerror(errno))))
        }
        defer { close(fd) }
        let parts = relative.split(separator: "/", omittingEmptySubsequences: true).map(String.init)
        guard let last = parts.last, !parts.contains(where: { $0 == ".." || $0 == "." }) else {
            return .refused(.notAFolder(relative))
        }
        for part in parts.dropLast() {
            let next = openat(fd, part, O_RDONLY | O_DIRECTORY | O_NOFOLLOW | O_CLOEXEC)
            if next < 0 {
                if errno == ENOENT { return .missing }
                if errno == ELOOP || errno == ENOTDIR { return .refused(.notAFolder(part)) }
                return .refused(.unreadable(String(cString: strerror(errno))))
            }
            close(fd)
            fd = next
        }
        var st = stat()
        guard fstatat(fd, last, &st, AT_SYMLINK_NOFOLLOW) == 0 else {
            return errno == ENOENT ? .missing : .refused(.unreadable(String(cString: strerror(errno))))
        }
        if let refusal = refusal(st.st_mode) { return .refused(refusal) }
        // O_NONBLOCK: should a FIFO take the file's place after the check,
        // opening it does not wait for a writer.
        let file = openat(fd, last, O_RDONLY | O_NOFOLLOW | O_NONBLOCK | O_CLOEXEC)
        guard file >= 0 else {
            return errno == ELOOP ? .refused(.symlink) : .refused(.unreadable(String(cString: strerror(errno))))
        }
        defer { close(file) }
        guard fstat(file, &st) == 0 else { return .refused(.unreadable(String(cString: strerror(errno)))) }
        if let refusal = refusal(st.st_mode) { return .refused(refusal) }
        var data = Data(count: Int(st.st_size))
        var offset = 0
        let ok = data.withUnsafeMutableBytes { raw -> Bool in
            while offset < raw.count {
                let n = Glibc.read(file, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
                if n == 0 { break }
                offset += n
            }
            return true
        }
        guard ok else { return .refused(.unreadable(String(cString: strerror(errno)))) }
        // A file that shrank while read is taken as far as it went.
        if offset < data.count { data.removeSubrange(offset...) }
        return .file(data)
    }

    /// Why an entry of this mode is not read; nil for a regular file.
    static func refusal(_ mode: mode_t) -> Refusal? {
        switch mode & S_IFMT {
        case S_IFREG: nil
        case S_IFLNK: .symlink
        case S_IFDIR: .directory
        case S_IFCHR, S_IFBLK: .device
        case S_IFIFO: .fifo
        case S_IFSOCK: .socket
        default: .unreadable("unknown file type")
        }
    }

    /// Every entry under `root` by relative path, each either a regular
    /// file's bytes or a refusal; folders are walked through `O_NOFOLLOW`
    /// opens and symlinks are listed, never followed.
    static func walk(_ root: String) -> [String: Entry] {
        var out: [String: Entry] = [:]
        func visit(_ relative: String) {
            let path = relative.isEmpty ? root : root + "/" + relative
            guard let names = try? FileManager.default.contentsOfDirectory(atPath: path) else { return }
            for name in names.sorted() {
                let child = relative.isEmpty ? name : relative + "/" + name
                var st = stat()
                guard lstat(root + "/" + child, &st) == 0 else { continue }
                if (st.st_mode & S_IFMT) == S_IFDIR {
                    visit(child)
                } else {
                    out[child] = read(child, in: root)
                }
            }
        }
        visit("")
        return out
    }
}
