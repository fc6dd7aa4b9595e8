import FabricBackends
import FabricBase
import FabricDiagnostics
import FabricSyntax
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

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
        /// A stable code (FAB80xx) for what the user must fix in the tree.
        public let code: DiagnosticCode?

        init(description: String, code: DiagnosticCode? = nil) {
            self.description = description
            self.code = code
        }
    }

    /// How ``write(_:to:options:)`` may treat the directory.
    public struct Options: Sendable {
        /// Write into a non-empty folder that holds no fabricc
        /// `MANIFEST.json` (`--into-existing`): fabricc's files are written
        /// one by one beside what is there, which is never touched.
        public var intoExisting: Bool

        public init(intoExisting: Bool = false) { self.intoExisting = intoExisting }
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
        !path.isEmpty && !path.hasPrefix("/")
            && !path.split(separator: "/", omittingEmptySubsequences: false)
                .contains { $0.isEmpty || $0 == ".." || $0 == "." }
    }

    static func backend(of path: String) -> String { String(path.prefix { $0 != "/" }) }

    /// The complete fabricc part of the new tree: every file by path, with
    /// its bytes and mode, the manifest included.
    static func target(_ plan: Plan, previous: Manifest?, in directory: String) throws(Failure) -> [String: (
        data: Data, mode: Int
    )] {
        var target: [String: (data: Data, mode: Int)] = [:]
        var outputs: [Manifest.Output] = []
        for file in plan.files where !isSafe(file.path) || file.path == Manifest.fileName {
            throw Failure(description: "refusing to write outside the output directory: \(file.path)")
        }
        // Bytes and digests on every core: thousands of files at a big build.
        let digested = ParallelRender.map(plan.files) { file in
            let data = Data(file.contents.utf8)
            return (data, Manifest.sha256(data))
        }
        target.reserveCapacity(plan.files.count + 1)
        for (file, (data, sha256)) in zip(plan.files, digested) {
            // No secret is ever in the tree: every file is for everyone to read.
            target[file.path] = (data, 0o644)
            outputs.append(Manifest.Output(path: file.path, backend: backend(of: file.path), sha256: sha256))
        }
        // Files of backends that did not run this time stay fabricc's.
        for old in previous?.outputs ?? [] where !plan.backends.contains(old.backend) && target[old.path] == nil {
            // One replaced by a link or a device is no longer fabricc's.
            guard let data = TreeReader.read(old.path, in: directory).data else { continue }
            outputs.append(Manifest.Output(path: old.path, backend: old.backend, sha256: Manifest.sha256(data)))
        }
        let manifest = Manifest(compiler: FabricVersion.current, inputs: plan.inputs, outputs: outputs)
        target[Manifest.fileName] = (Data(manifest.json.utf8), 0o644)
        return target
    }

    /// The manifest of the tree; nil when there is none or it is not one
    /// fabricc wrote. One that is a link, a FIFO or a device is refused.
    static func previousManifest(_ directory: String) throws(Failure) -> Manifest? {
        switch TreeReader.read(Manifest.fileName, in: directory) {
        case .file(let data): return Manifest.parse(data)
        case .missing: return nil
        case .refused(let why): throw refusal(Manifest.fileName, why, in: directory)
        }
    }

    /// FAB8001: an entry fabricc would read or replace is not a regular file.
    static func refusal(_ path: String, _ why: TreeReader.Refusal, in directory: String) -> Failure {
        Failure(
            description:
                "\(shown(directory))/\(path) is \(why), not a file fabricc wrote; fabricc never reads or follows such an entry in its output tree: remove it and build again",
            code: .outputEntry)
    }

    /// `out/` and `out` name the same folder in messages.
    static func shown(_ directory: String) -> String {
        directory.count > 1 && directory.hasSuffix("/") ? String(directory.dropLast()) : directory
    }

    /// The fabricc files of the previous build that this one drops.
    static func stale(
        _ plan: Plan, _ target: [String: (data: Data, mode: Int)], previous: Manifest?, in directory: String
    ) -> [String] {
        (previous?.outputs ?? [])
            .filter { plan.backends.contains($0.backend) && target[$0.path] == nil }
            .map(\.path)
            .filter { isPlainFile($0, in: directory) }
    }

    /// Whether `path` names a regular file reached through real folders
    /// only: a file behind a symlink is never fabricc's to remove.
    static func isPlainFile(_ path: String, in directory: String) -> Bool {
        var st = stat()
        var current = directory
        let parts = path.split(separator: "/").map(String.init)
        for (n, part) in parts.enumerated() {
            current += "/" + part
            guard lstat(current, &st) == 0 else { return false }
            let type = st.st_mode & S_IFMT
            if n < parts.count - 1 ? type != S_IFDIR : type != S_IFREG { return false }
        }
        return true
    }

    /// What writing `plan` would change in `directory`, sorted by path.
    public static func changes(_ plan: Plan, in directory: String) throws(Failure) -> [Change] {
        let previous = try previousManifest(directory)
        return try changes(plan, try target(plan, previous: previous, in: directory), previous: previous, in: directory)
    }

    static func changes(
        _ plan: Plan, _ target: [String: (data: Data, mode: Int)], previous: Manifest?, in directory: String
    ) throws(Failure) -> [Change] {
        var changes: [Change] = []
        for (path, file) in target.sorted(by: { $0.key < $1.key }) {
            switch TreeReader.read(path, in: directory) {
            case .file(let existing):
                // Modes are the checkout's business (umask 002 gives 0664).
                if existing != file.data {
                    changes.append(Change(kind: .changed, path: path, oldData: existing, newData: file.data))
                }
            case .missing:
                changes.append(Change(kind: .added, path: path, oldData: nil, newData: file.data))
            case .refused(let why):
                throw refusal(path, why, in: directory)
            }
        }
        for path in stale(plan, target, previous: previous, in: directory) {
            changes.append(
                Change(kind: .removed, path: path, oldData: TreeReader.read(path, in: directory).data, newData: nil))
        }
        return changes.sorted { $0.path < $1.path }
    }

    static func mode(_ path: String) -> Int? {
        var st = stat()
        guard lstat(path, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG else { return nil }
        return Int(st.st_mode & 0o7777)
    }

    /// Writes `plan` into `directory`; returns the changes (none: nothing
    /// was touched, not even the directory) and notes for the user.
    @discardableResult
    public static func write(_ plan: Plan, to directory: String, options: Options = Options()) throws(Failure) -> (
        changes: [Change], notes: [String]
    ) {
        let fm = FileManager.default
        // Swap the directory itself, not a symlink to it.
        let resolved =
            fm.fileExists(atPath: directory)
            ? URL(fileURLWithPath: directory).resolvingSymlinksInPath().path
            : URL(fileURLWithPath: directory).standardizedFileURL.path
        let cwd = URL(fileURLWithPath: fm.currentDirectoryPath).resolvingSymlinksInPath().path
        if resolved == "/" || cwd == resolved || cwd.hasPrefix(resolved + "/") {
            throw Failure(
                description:
                    "refusing to write into \(directory): it holds the working directory; choose an output directory of its own, such as out"
            )
        }
        let parent = Paths.parent(resolved)
        let name = Paths.last(resolved)
        do {
            try fm.createDirectory(atPath: parent, withIntermediateDirectories: true)
        } catch {
            throw Failure(description: "cannot create \(parent): \(error.localizedDescription)")
        }
        // One build at a time writes this directory: the lock covers
        // reading the manifest through the swap. It is taken on the parent
        // folder itself, so no lock file is left beside the artifacts.
        let lock = open(parent, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        guard lock >= 0 else {
            throw Failure(description: "cannot lock \(parent): \(String(cString: strerror(errno)))")
        }
        defer { close(lock) }
        flock(lock, LOCK_EX)
        var notes: [String] = []
        recoverLeftovers(in: parent, of: name, into: resolved)

        // The manifest is read once, under the lock.
        let previous = try previousManifest(resolved)
        var st = stat()
        let exists = lstat(resolved, &st) == 0
        if exists, (st.st_mode & S_IFMT) != S_IFDIR {
            throw Failure(description: "\(directory) is not a folder")
        }
        let entries = exists ? ((try? fm.contentsOfDirectory(atPath: resolved)) ?? []) : []
        let hasManifestFile = entries.contains(Manifest.fileName)
        // A folder fabricc did not write (a home folder given as `-o ~`)
        // is not fabricc's to fill, unless the user says so.
        if !entries.isEmpty, !hasManifestFile, !options.intoExisting {
            throw Failure(
                description:
                    "\(directory) is not empty and holds no \(Manifest.fileName): fabricc did not write it; choose an empty or new output directory, or pass --into-existing to add fabricc's files to it",
                code: .outputForeign)
        }
        let target = try target(plan, previous: previous, in: resolved)
        let changes = try changes(plan, target, previous: previous, in: resolved)
        guard !changes.isEmpty else { return ([], []) }
        if previous == nil, hasManifestFile {
            notes.append("\(directory)/\(Manifest.fileName) is not one fabricc wrote: no file was removed as stale")
        }
        // The whole tree is staged and swapped only when it holds nothing
        // but fabricc's folders: the stage never carries a user's other
        // files, and a mount inside the tree would move with it.
        let backends = Set(BackendRegistry.names).union(previous?.outputs.map(\.backend) ?? []).union(plan.backends)
        let foreign = entries.filter { $0 != Manifest.fileName && !backends.contains($0) }
        let mounted = mountPoints(under: resolved)
        if exists, !foreign.isEmpty || !mounted.isEmpty {
            if !mounted.isEmpty {
                notes.append(
                    "\(directory) is or holds a mount point (\(mounted.map { $0 == resolved ? "itself" : String($0.dropFirst(resolved.count + 1)) }.joined(separator: ", "))): its files were replaced one by one"
                )
            }
            try writeInPlace(target, changes: changes, into: resolved)
            return (changes, notes)
        }
        let removed = Set(changes.filter { $0.kind == .removed }.map(\.path))
        let changed = Set(changes.map(\.path))
        var template = Array("\(parent)/.\(name).fabricc-stage-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else {
            throw Failure(
                description: "cannot create a folder beside \(directory): \(String(cString: strerror(errno)))")
        }
        let stage = String(cString: made)
        var modes: [(String, mode_t)] = []
        do {
            // A new output folder gets the same mode as every folder in it.
            modes.append((stage, exists ? try copyOwnership(from: resolved, to: stage) : folderMode()))
            if exists {
                try carryOver(
                    from: resolved, to: stage, skipping: Set(target.keys).union(removed), relative: "", modes: &modes)
            }
            // Each folder is made (or checked) once, not once per file in it.
            var folders: Set<Substring> = []
            for (path, file) in target.sorted(by: { $0.key < $1.key }) {
                let destination = stage + "/" + path
                let folder = path.lastIndex(of: "/").map { path[..<$0] } ?? ""
                if folders.insert(folder).inserted { try makeParents(of: path, under: stage, modes: &modes) }
                let old = resolved + "/" + path
                if exists, !changed.contains(path), link(old, destination) == 0 { continue }
                // Nothing is at `destination` in the fresh stage: no unlink first.
                try writeNew(destination, file.data, mode: mode_t(file.mode), replacing: false)
            }
            try pruneEmpty(stage, keepingIn: exists ? resolved : nil, relative: "")
            // Folders get their final modes last: a read-only one had to be filled first.
            for (path, mode) in modes.reversed() { chmod(path, mode) }
            // Every new file on disk before the swap publishes it: one
            // syncfs for the whole stage rather than an fsync per file.
            flush(stage)
            if try !swap(stage, into: resolved, exists: exists) {
                // A mount point cannot be swapped: write into it file by file.
                _ = try? fm.removeItem(atPath: stage)
                try writeInPlace(target, changes: changes, into: resolved)
                notes.append(
                    "\(directory) cannot be replaced as a whole (a mount point?): its files were replaced one by one")
                return (changes, notes)
            }
        } catch {
            _ = try? fm.removeItem(atPath: stage)
            throw error
        }
        // The stage now holds the old tree: keep what appeared in it while
        // the new one was staged, then drop the rest.
        reconcile(old: stage, new: resolved, managed: Set(target.keys).union(removed), relative: "")
        _ = try? fm.removeItem(atPath: stage)
        fsyncPath(parent)
        return (changes, notes)
    }

    /// The mode of a folder fabricc creates: 0777 less the umask, as
    /// `mkdir` gives (0755 with the usual umask), for the output folder and
    /// every folder in it alike.
    static func folderMode() -> mode_t {
        let mask = umask(0o022)
        umask(mask)
        return 0o777 & ~mask
    }

    /// Mount points at or below `directory`, from the kernel's table (a
    /// bind mount shares its device number, so `st_dev` cannot tell).
    static func mountPoints(under directory: String) -> [String] {
        guard let table = try? String(contentsOfFile: "/proc/self/mountinfo", encoding: .utf8) else { return [] }
        var out: [String] = []
        for line in table.split(separator: "\n") {
            let fields = line.split(separator: " ")
            guard fields.count > 4 else { continue }
            let point = unescapeMountPath(String(fields[4]))
            if point == directory || point.hasPrefix(directory == "/" ? "/" : directory + "/") { out.append(point) }
        }
        return out.sorted()
    }

    /// mountinfo writes space, tab, newline and backslash as `\ooo`.
    static func unescapeMountPath(_ field: String) -> String {
        let utf8 = Array(field.utf8)
        var bytes: [UInt8] = []
        var i = 0
        while i < utf8.count {
            if utf8[i] == UInt8(ascii: "\\"), i + 3 < utf8.count,
                let n = UInt8(String(decoding: utf8[(i + 1)...(i + 3)], as: UTF8.self), radix: 8)
            {
                bytes.append(n)
                i += 4
            } else {
                bytes.append(utf8[i])
                i += 1
            }
        }
        return String(decoding: bytes, as: UTF8.self)
    }

    /// Files that are not fabricc's and appeared or were replaced in the old
    /// tree during the build move into the new one.
    static func reconcile(old: String, new: String, managed: Set<String>, relative: String) {
        let here = old + (relative.isEmpty ? "" : "/" + relative)
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: here)) ?? [] {
            let path = relative.isEmpty ? entry : relative + "/" + entry
            var a = stat()
            var b = stat()
            guard lstat(old + "/" + path, &a) == 0 else { continue }
            let inNew = lstat(new + "/" + path, &b) == 0
            if (a.st_mode & S_IFMT) == S_IFDIR {
                // A folder the new tree lacks (emptied of stale files) comes
                // back only if something that is not fabricc's is in it.
                if !inNew || (b.st_mode & S_IFMT) == S_IFDIR {
                    reconcile(old: old, new: new, managed: managed, relative: path)
                }
                continue
            }
            guard !managed.contains(path) else { continue }
            if !inNew || a.st_ino != b.st_ino || a.st_dev != b.st_dev {
                var parentModes: [(String, mode_t)] = []
                guard (try? makeParents(of: path, under: new, modes: &parentModes)) != nil else { continue }
                for (dir, mode) in parentModes { chmod(dir, mode) }
                rename(old + "/" + path, new + "/" + path)
            }
        }
    }

    /// For a directory that cannot be swapped (a mount point, or one that
    /// holds more than fabricc's files): every new file is written and
    /// flushed beside its old one first, so a full disk or an error leaves
    /// the old tree whole; then each is renamed over its old one, the
    /// manifest last, so the manifest never names a file not yet there.
    static func writeInPlace(_ target: [String: (data: Data, mode: Int)], changes: [Change], into directory: String)
        throws(Failure)
    {
        // New files of an in-place build that was killed (the lock is
        // held: no other build is writing them).
        for folder in Set(target.keys.map { Paths.parent(directory + "/" + $0) }) { removeTemporaries(in: folder) }
        var staged: [(temporary: String, path: String)] = []
        func discard() { for s in staged { unlink(s.temporary) } }
        let writes = changes.filter { $0.kind != .removed }.sorted { a, b in
            (a.path == Manifest.fileName ? 1 : 0, a.path) < (b.path == Manifest.fileName ? 1 : 0, b.path)
        }
        for change in writes {
            guard let file = target[change.path] else { continue }
            let path = directory + "/" + change.path
            var modes: [(String, mode_t)] = []
            do {
                try makeParents(of: change.path, under: directory, modes: &modes)
                for (dir, mode) in modes { chmod(dir, mode) }
                let temporary = Paths.parent(path) + "/.\(Paths.last(path)).fabricc-\(getpid())"
                try writeNew(temporary, file.data, mode: mode_t(file.mode))
                staged.append((temporary, path))
            } catch {
                discard()
                throw error
            }
        }
        flush(directory)
        for s in staged where rename(s.temporary, s.path) != 0 {
            let reason = String(cString: strerror(errno))
            discard()
            throw Failure(description: "cannot write \(s.path): \(reason)")
        }
        for change in changes where change.kind == .removed {
            unlink(directory + "/" + change.path)
            // Folders the removal empties go too, never the directory itself.
            var folder = Paths.parent(change.path)
            while folder != "." && !folder.isEmpty && folder != change.path,
                (try? FileManager.default.contentsOfDirectory(atPath: directory + "/" + folder))?.isEmpty == true
            {
                rmdir(directory + "/" + folder)
                let up = Paths.parent(folder)
                if up == folder { break }
                folder = up
            }
        }
        fsyncPath(directory)
    }

    /// Removes `.NAME.fabricc-PID` files, fabricc's half-written files, from
    /// `folder` (a real folder only).
    static func removeTemporaries(in folder: String) {
        var st = stat()
        guard lstat(folder, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else { return }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: folder)) ?? [] where name.hasPrefix(".") {
            guard let range = name.range(of: ".fabricc-", options: .backwards) else { continue }
            let pid = name[range.upperBound...]
            guard !pid.isEmpty, pid.unicodeScalars.allSatisfy({ ("0"..."9").contains($0) }) else { continue }
            if lstat(folder + "/" + name, &st) == 0, (st.st_mode & S_IFMT) == S_IFREG { unlink(folder + "/" + name) }
        }
    }

    /// Hard-links everything of the old tree but the fabricc files that are
    /// rewritten or removed, recreating its folders (owner-only until the
    /// end: ``write`` sets their modes last). Where a hard link is refused
    /// (another owner's file under protected_hardlinks, another file
    /// system), the entry is copied with its mode and times.
    static func carryOver(
        from old: String, to stage: String, skipping: Set<String>, relative: String, modes: inout [(String, mode_t)]
    ) throws(Failure) {
        let entries: [String]
        do {
            entries = try FileManager.default.contentsOfDirectory(
                atPath: old + (relative.isEmpty ? "" : "/" + relative))
        } catch {
            throw Failure(description: "cannot read \(old)/\(relative): \(error.localizedDescription)")
        }
        for entry in entries.sorted() {
            let path = relative.isEmpty ? entry : relative + "/" + entry
            let source = old + "/" + path
            let destination = stage + "/" + path
            var st = stat()
            guard lstat(source, &st) == 0 else { continue }
            if (st.st_mode & S_IFMT) == S_IFDIR {
                guard mkdir(destination, 0o700) == 0 else {
                    throw Failure(description: "cannot create \(destination): \(String(cString: strerror(errno)))")
                }
                modes.append((destination, try copyOwnership(from: source, to: destination)))
                try carryOver(from: old, to: stage, skipping: skipping, relative: path, modes: &modes)
            } else if !skipping.contains(path) {
                if link(source, destination) == 0 { continue }
                guard errno == EPERM || errno == EXDEV || errno == EMLINK else {
                    throw Failure(
                        description: "cannot keep \(source) in the new output tree: \(String(cString: strerror(errno)))"
                    )
                }
                try copy(path, from: old, to: destination, st)
            }
        }
    }

    /// A copy of a file or symlink that keeps its mode and times; a
    /// symlink is copied as a link, never followed.
    static func copy(_ path: String, from old: String, to destination: String, _ st: stat) throws(Failure) {
        let source = old + "/" + path
        if (st.st_mode & S_IFMT) == S_IFLNK {
            var buffer = [CChar](repeating: 0, count: Int(PATH_MAX) + 1)
            let n = readlink(source, &buffer, buffer.count - 1)
            guard n >= 0,
                symlink(String(decoding: buffer[..<n].map { UInt8(bitPattern: $0) }, as: UTF8.self), destination) == 0
            else {
                throw Failure(
                    description: "cannot keep \(source) in the new output tree: \(String(cString: strerror(errno)))")
            }
            return
        }
        guard (st.st_mode & S_IFMT) == S_IFREG, let data = TreeReader.read(path, in: old).data else {
            throw Failure(
                description: "cannot keep \(source) in the new output tree: neither a hard link nor a copy is possible")
        }
        try writeNew(destination, data, mode: st.st_mode & 0o7777)
        var times = [st.st_atim, st.st_mtim]
        utimensat(AT_FDCWD, destination, &times, AT_SYMLINK_NOFOLLOW)
    }

    /// Gives `path` the owner and group of `model` where the user may, and
    /// returns the mode it should end with.
    static func copyOwnership(from model: String, to path: String) throws(Failure) -> mode_t {
        var st = stat()
        guard lstat(model, &st) == 0 else { return 0o755 }
        if st.st_uid != getuid() || st.st_gid != getgid() { chown(path, st.st_uid, st.st_gid) }
        return st.st_mode & 0o7777
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
            let wasEmpty =
                old.map { (try? FileManager.default.contentsOfDirectory(atPath: $0 + "/" + path))?.isEmpty == true }
                ?? false
            if !wasEmpty, (try? FileManager.default.contentsOfDirectory(atPath: stage + "/" + path))?.isEmpty == true {
                rmdir(stage + "/" + path)
            }
        }
    }

    /// Creates the folders of `path` under `root` that are missing; a
    /// component that exists but is not a real folder (a symlink, a file)
    /// is refused, so nothing is ever written through a link.
    static func makeParents(of path: String, under root: String, modes: inout [(String, mode_t)]) throws(Failure) {
        var current = root
        for part in path.split(separator: "/").dropLast() {
            current += "/" + part
            var st = stat()
            if lstat(current, &st) == 0 {
                guard (st.st_mode & S_IFMT) == S_IFDIR else {
                    throw Failure(
                        description:
                            "\(current.replacingOccurrences(of: root, with: "output directory")) is not a folder (a symlink or a file); fabricc writes its files into real folders only"
                    )
                }
                continue
            }
            guard mkdir(current, 0o700) == 0 else {
                throw Failure(description: "cannot create \(current): \(String(cString: strerror(errno)))")
            }
            modes.append((current, folderMode()))
        }
    }

    /// The atomic step; false when the directory cannot be swapped at all
    /// (a mount point). Without RENAME_EXCHANGE (a file system that lacks
    /// it) the old tree is renamed aside first, leaving a moment without it,
    /// which ``recoverLeftovers`` repairs when a build dies there.
    static func swap(_ stage: String, into directory: String, exists: Bool) throws(Failure) -> Bool {
        if !exists {
            guard rename(stage, directory) == 0 else {
                throw Failure(description: "cannot create \(directory): \(String(cString: strerror(errno)))")
            }
            return true
        }
        if exchange(stage, directory) == 0 { return true }
        if errno == EBUSY || errno == EXDEV { return false }
        guard errno == EINVAL || errno == ENOSYS else {
            throw Failure(description: "cannot replace \(directory): \(String(cString: strerror(errno)))")
        }
        let aside = "\(Paths.parent(directory))/.\(Paths.last(directory)).fabricc-old"
        guard rename(directory, aside) == 0 else {
            if errno == EBUSY || errno == EXDEV { return false }
            throw Failure(description: "cannot replace \(directory): \(String(cString: strerror(errno)))")
        }
        guard rename(stage, directory) == 0 else {
            let reason = String(cString: strerror(errno))
            rename(aside, directory)
            throw Failure(description: "cannot replace \(directory): \(reason)")
        }
        rename(aside, stage)
        return true
    }

    /// `renameat2(AT_FDCWD, a, AT_FDCWD, b, RENAME_EXCHANGE)`, looked up at
    /// run time (the C library's GNU declarations are not visible to Swift).
    static func exchange(_ a: String, _ b: String) -> Int32 {
        typealias RenameAt2 = @convention(c) (Int32, UnsafePointer<CChar>, Int32, UnsafePointer<CChar>, UInt32) -> Int32
        guard let symbol = dlsym(dlopen(nil, RTLD_NOW), "renameat2") else {
            errno = ENOSYS
            return -1
        }
        let renameat2 = unsafeBitCast(symbol, to: RenameAt2.self)
        let renameExchange: UInt32 = 2  // RENAME_EXCHANGE from <linux/fs.h>
        return renameat2(AT_FDCWD, a, AT_FDCWD, b, renameExchange)
    }

    /// `syncfs` on the file system holding `path`, or `sync` without it.
    static func flush(_ path: String) {
        typealias SyncFS = @convention(c) (Int32) -> Int32
        let fd = open(path, O_RDONLY | O_DIRECTORY | O_CLOEXEC)
        defer { if fd >= 0 { close(fd) } }
        if fd >= 0, let symbol = dlsym(dlopen(nil, RTLD_NOW), "syncfs"), unsafeBitCast(symbol, to: SyncFS.self)(fd) == 0
        {
            return
        }
        sync()
    }

    /// Stages of builds that died before cleaning up (the lock is held, so
    /// no other build is using one), and an old tree renamed aside by a
    /// build that died before the new one took its place: it goes back.
    static func recoverLeftovers(in parent: String, of name: String, into directory: String) {
        let aside = "\(parent)/.\(name).fabricc-old"
        if !FileManager.default.fileExists(atPath: directory), FileManager.default.fileExists(atPath: aside) {
            rename(aside, directory)
        }
        for entry in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        where entry.hasPrefix(".\(name).fabricc-stage-") || entry == ".\(name).fabricc-old" {
            _ = try? FileManager.default.removeItem(atPath: parent + "/" + entry)
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
    /// Whatever is at `path` is removed first unless the caller knows
    /// nothing is (`replacing: false`); either way creation is exclusive.
    static func writeNew(_ path: String, _ data: Data, mode: mode_t, replacing: Bool = true) throws(Failure) {
        if replacing { unlink(path) }
        let fd = open(path, O_WRONLY | O_CREAT | O_EXCL | O_NOFOLLOW | O_CLOEXEC, mode)
        guard fd >= 0 else { throw Failure(description: "cannot create \(path): \(String(cString: strerror(errno)))") }
        defer { close(fd) }
        // The umask may have narrowed the mode; set it exactly.
        fchmod(fd, mode)
        let ok = data.withUnsafeBytes { raw -> Bool in
            var offset = 0
            while offset < raw.count {
                let n = Glibc.write(fd, raw.baseAddress! + offset, raw.count - offset)
                if n < 0 {
                    if errno == EINTR { continue }
                    return false
                }
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
