import FabricBackends
import FabricSyntax
#if canImport(Glibc)
import Glibc
#endif
import Foundation

/// Writes a build into its output directory all at once. The new tree is
/// staged in a folder beside the directory (unchanged files and files that
/// are not fabricc's hard-linked from the old tree, so they keep their
/// inode and modification time; changed files written and flushed), then
/// swapped in with one `renameat2(RENAME_EXCHANGE)`. A reader, or a build
/// killed at any moment, sees the old tree or the new one, never a mix.
/// Only files the previous `MANIFEST.json` lists are ever removed; anything
/// else in the directory is carried over untouched. Called only for a
/// build without errors.
public enum OutputWriter {
    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// One file a build would add, change or remove.
    public struct Change: Sendable, Equatable {
        public enum Kind: String, Sendable { case added, changed, removed }
        public let kind: Kind
        /// Relative to the output directory.
        public let path: String
        let oldData: Data?
        let newData: Data?
        /// The texts, decoded only when a diff asks for them.
        public var old: String? { oldData.map { String(decoding: $0, as: UTF8.self) } }
        public var new: String? { newData.map { String(decoding: $0, as: UTF8.self) } }
    }

    /// What the build will put in the directory: its files, the backends
    /// that ran (their old files that are not produced again are removed),
    /// and the input files for the manifest.
    public struct Plan: Sendable {
        public let files: [GeneratedFile]
        public let backends: Set<String>
        public let inputs: [Manifest.Input]

        public init(files: [GeneratedFile], backends: Set<String>, inputs: [Manifest.Input]) {
            self.files = files
            self.backends = backends
            self.inputs = inputs
        }
    }

    /// A generated path is relative, `/`-separated and stays inside the directory.
    static func isSafe(_ path: String) -> Bool {
        !path.isEmpty && !path.hasPrefix("/") && !path.split(separator: "/", omittingEmptySubsequences: false)
            .contains { $0.isEmpty || $0 == ".." || $0 == "." }
    }

    static func backend(of path: String) -> String { String(path.prefix { $0 != "/" }) }

    /// The complete fabricc part of the new tree: every file by path, with
    /// its bytes and mode, the manifest included.
    static func target(_ plan: Plan, in directory: String) throws(Failure) -> [String: (data: Data, mode: Int)] {
        var target: [String: (data: Data, mode: Int)] = [:]
        var outputs: [Manifest.Output] = []
        for file in plan.files {
            guard isSafe(file.path), file.path != Manifest.fileName else {
                throw Failure(description: "refusing to write outside the output directory: \(file.path)")
            }
            let data = Data(file.contents.utf8)
            target[file.path] = (data, file.isSensitive ? 0o600 : 0o644)
            outputs.append(Manifest.Output(path: file.path, backend: backend(of: file.path), sha256: Manifest.sha256(data)))
        }
        // Files of backends that did not run this time stay fabricc's.
        for old in previousManifest(directory)?.outputs ?? [] where !plan.backends.contains(old.backend) && target[old.path] == nil {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(old.path)
            guard let data = FileManager.default.contents(atPath: url.path) else { continue }
            outputs.append(Manifest.Output(path: old.path, backend: old.backend, sha256: Manifest.sha256(data)))
        }
        let manifest = Manifest(compiler: FabricVersion.current, inputs: plan.inputs, outputs: outputs)
        target[Manifest.fileName] = (Data(manifest.json.utf8), 0o644)
        return target
    }

    static func previousManifest(_ directory: String) -> Manifest? {
        FileManager.default.contents(atPath: URL(fileURLWithPath: directory).appendingPathComponent(Manifest.fileName).path).flatMap(Manifest.parse)
    }

    /// The fabricc files of the previous build that this one drops.
    static func stale(_ plan: Plan, _ target: [String: (data: Data, mode: Int)], in directory: String) -> [String] {
        (previousManifest(directory)?.outputs ?? [])
            .filter { plan.backends.contains($0.backend) && target[$0.path] == nil }
            .map(\.path)
            .filter { FileManager.default.fileExists(atPath: URL(fileURLWithPath: directory).appendingPathComponent($0).path) }
    }

    /// What writing `plan` would change in `directory`, sorted by path.
    public static func changes(_ plan: Plan, in directory: String) throws(Failure) -> [Change] {
        try changes(plan, try target(plan, in: directory), in: directory)
    }

    static func changes(_ plan: Plan, _ target: [String: (data: Data, mode: Int)], in directory: String) -> [Change] {
        var changes: [Change] = []
        for (path, file) in target {
            let url = URL(fileURLWithPath: directory).appendingPathComponent(path)
            if let existing = FileManager.default.contents(atPath: url.path) {
                if existing != file.data || mode(url.path) != file.mode {
                    changes.append(Change(kind: .changed, path: path, oldData: existing, newData: file.data))
                }
            } else {
                changes.append(Change(kind: .added, path: path, oldData: nil, newData: file.data))
            }
        }
        for path in stale(plan, target, in: directory) {
            let old = FileManager.default.contents(atPath: URL(fileURLWithPath: directory).appendingPathComponent(path).path)
            changes.append(Change(kind: .removed, path: path, oldData: old, newData: nil))
        }
        return changes.sorted { $0.path < $1.path }
    }

    static func mode(_ path: String) -> Int? {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(st.st_mode & 0o7777)
    }

    /// Writes `plan` into `directory`; returns the changes (none: nothing
    /// was touched, not even the directory).
    @discardableResult
    public static func write(_ plan: Plan, to directory: String) throws(Failure) -> [Change] {
        let target = try target(plan, in: directory)
        let changes = changes(plan, target, in: directory)
        guard !changes.isEmpty else { return [] }
        let removed = Set(changes.filter { $0.kind == .removed }.map(\.path))
        let changed = Set(changes.map(\.path))
        let fm = FileManager.default
        // Swap the directory itself, not a symlink to it.
        let resolved = fm.fileExists(atPath: directory) ? URL(fileURLWithPath: directory).resolvingSymlinksInPath().path : URL(fileURLWithPath: directory).standardizedFileURL.path
        let parent = Paths.parent(resolved), name = Paths.last(resolved)
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create \(parent): \(error.localizedDescription)")
        }
        removeLeftovers(in: parent, of: name)
        let stage = "\(parent)/.\(name).fabricc-stage-\(getpid())"
        _ = try? fm.removeItem(atPath: stage)
        let exists = fm.fileExists(atPath: resolved)
        do {
            try makeDirectory(stage, like: exists ? resolved : nil)
            if exists { try carryOver(from: resolved, to: stage, skipping: Set(target.keys).union(removed), relative: "") }
            for (path, file) in target.sorted(by: { $0.key < $1.key }) {
                let destination = stage + "/" + path
                try makeParents(of: destination, under: stage, like: resolved)
                let old = resolved + "/" + path
                if exists, !changed.contains(path), link(old, destination) == 0 { continue }
                try writeNew(destination, file.data, mode: mode_t(file.mode))
            }
            try pruneEmpty(stage, keepingIn: exists ? resolved : nil, relative: "")
            // Every new file on disk before the swap publishes it: one
            // syncfs for the whole stage rather than an fsync per file.
            flush(stage)
            try swap(stage, into: resolved, exists: exists)
        } catch {
            _ = try? fm.removeItem(atPath: stage)
            throw error
        }
        // The stage now holds the old tree.
        _ = try? fm.removeItem(atPath: stage)
        fsyncPath(parent)
        return changes
    }

    /// Hard-links everything of the old tree but the fabricc files that are
    /// rewritten or removed, recreating its folders.
    static func carryOver(from old: String, to stage: String, skipping: Set<String>, relative: String) throws(Failure) {
        let entries: [String]
        do { entries = try FileManager.default.contentsOfDirectory(atPath: old + (relative.isEmpty ? "" : "/" + relative)) } catch {
            throw Failure(description: "cannot read \(old)/\(relative): \(error.localizedDescription)")
        }
        for entry in entries.sorted() {
            let path = relative.isEmpty ? entry : relative + "/" + entry
            let source = old + "/" + path, destination = stage + "/" + path
            var st = stat()
            guard lstat(source, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                try makeDirectory(destination, like: source)
                try carryOver(from: old, to: stage, skipping: skipping, relative: path)
            } else if !skipping.contains(path) {
                guard link(source, destination) == 0 else {
                    throw Failure(description: "cannot keep \(source) in the new output tree: \(String(cString: strerror(errno)))")
                }
            }
        }
    }

    /// Removes folders left empty by removed files; folders that were
    /// empty in the old tree stay.
    static func pruneEmpty(_ stage: String, keepingIn old: String?, relative: String) throws(Failure) {
        let here = stage + (relative.isEmpty ? "" : "/" + relative)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: here)) ?? [] {
            let path = relative.isEmpty ? entry : relative + "/" + entry
            var st = stat()
            guard lstat(stage + "/" + path, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { continue }
            try pruneEmpty(stage, keepingIn: old, relative: path)
            let wasEmpty = old.map { (try? FileManager.default.contentsOfDirectory(atPath: $0 + "/" + path))?.isEmpty == true } ?? false
            if !wasEmpty, (try? FileManager.default.contentsOfDirectory(atPath: stage + "/" + path))?.isEmpty == true {
                rmdir(stage + "/" + path)
            }
        }
    }

    static func makeDirectory(_ path: String, like model: String?) throws(Failure) {
        var st = stat()
        let mode: mode_t = model.flatMap { lstat($0, &st) == 0 ? st.st_mode & 0o7777 : nil } ?? 0o755
        guard mkdir(path, mode) == 0 || errno == EEXIST else {
            throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))")
        }
        chmod(path, mode)
    }

    static func makeParents(of file: String, under stage: String, like old: String) throws(Failure) {
        var missing: [String] = []
        var dir = Paths.parent(file)
        while dir.count > stage.count, !FileManager.default.fileExists(atPath: dir) {
            missing.append(dir)
            dir = Paths.parent(dir)
        }
        for dir in missing.reversed() { try makeDirectory(dir, like: nil) }
    }

    /// The atomic step. Without RENAME_EXCHANGE (a file system that lacks
    /// it) the old tree is renamed aside first, leaving a moment without it.
    static func swap(_ stage: String, into directory: String, exists: Bool) throws(Failure) {
        if !exists {
            guard rename(stage, directory) == 0 else { throw Failure(description: "cannot create \(directory): \(String(cString: strerror(errno)))") }
            return
        }
        if exchange(stage, directory) == 0 { return }
        guard errno == EINVAL || errno == ENOSYS else {
            throw Failure(description: "cannot replace \(directory): \(String(cString: strerror(errno)))")
        }
        let aside = "\(Paths.parent(directory))/.\(Paths.last(directory)).fabricc-old-\(getpid())"
        guard rename(directory, aside) == 0 else { throw Failure(description: "cannot replace \(directory): \(String(cString: strerror(errno)))") }
        guard rename(stage, directory) == 0 else {
            let reason = String(cString: strerror(errno))
            rename(aside, directory)
            throw Failure(description: "cannot replace \(directory): \(reason)")
        }
        rename(aside, stage)
    }

    /// `renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)`, looked up at
    /// run time (the C library's GNU declarations are not visible to Swift).
    static func exchange(_ a: String, _ b: String) -> Int32 {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "renameat2") else { errno = ENOSYS; return -1 }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, 2 /* RENAME_EXCHANGE */)
    }

    /// `syncfs` on the file system holding `path`, or `sync` without it.
    static func flush(_ path: String) {
        typealias SyncFS = @convention(c) (Int32) -> Int32
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if fd >= 0 { close(fd) } }
        if fd >= 0, let symbol = dlsym(dlopen(nil, RTLD_NOW), "syncfs"), unsafeBitCast(symbol, to: SyncFS.self)(fd) == 0 { return }
        sync()
    }

    /// Stages and old trees of builds that died before cleaning up.
    static func removeLeftovers(in parent: String, of name: String) {
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? [] {
            for prefix in [".\(name).fabricc-stage-", ".\(name).fabricc-old-"] where entry.hasPrefix(prefix) {
                guard let pid = Int32(entry.dropFirst(prefix.count)), pid != getpid(), kill(pid, 0) != 0, errno == ESRCH else { continue }
                _ = try? FileManager.default.removeItem(atPath: parent + "/" + entry)
            }
        }
    }

    static func fsyncPath(_ path: String) {
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard fd >= 0 else { return }
        fsync(fd)
        close(fd)
    }

    /// Creates `path` (never following or reusing an existing file) with its
    /// final mode from the first byte, so a secret is never readable by
    /// others, even briefly. ``flush(_:)`` puts it on disk before the swap.
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
        guard ok else {
            let reason = String(cString: strerror(errno))
            unlink(path)
            throw Failure(description: "cannot write \(path): \(reason)")
        }
    }
}

extension Paths {
    static func parent(_ path: String) -> String { directory(of: path) }
    static func last(_ path: String) -> String { path.split(separator: "/").last.map(String.init) ?? path }
}
