import Dispatch
import FabricBase
import FabricDiagnostics
import FabricSema
import FabricSyntax
import Foundation

/// The allocation lock of one intent: where it lives, what it holds now,
/// and what a build would write.
public struct LockState: Sendable {
    /// Absolute path: the entry's path with `.lock` appended.
    public let path: String
    /// As messages show it: the entry as the user named it, plus `.lock`.
    public let displayPath: String
    /// The file's text; nil when there is none.
    public let old: String?
    /// What a build writes; nil when there is nothing to record and no file.
    public let new: String?

    /// `--locked` passes: building would not change the lock.
    public var isCurrent: Bool { old == new }
}

/// Reads and writes lock files. The text is parsed by ``AllocationLock``;
/// here is only where the file is and how it is replaced.
public enum LockFile {
    public static let suffix = ".lock"

    struct Loaded {
        let lock: AllocationLock
        let old: String?
        var bytes: [UInt8]? = nil
        let path: String
        let displayPath: String
        let file: FileID?
        let diagnostics: [Diagnostic]
    }

    /// Reads the lock beside `entry`, adding it to `sources` so diagnostics
    /// can point at its lines.
    static func read(entry: String, provider: any SourceProvider, into sources: inout SourceMap) -> Loaded {
        Pending(entry: entry, provider: provider).attach(to: &sources)
    }

    /// A lock read (and parsed) on another core while the intent loads:
    /// 100,000 VMs make a 200,000-line lock.
    final class Pending: @unchecked Sendable {
        let path: String
        let display: String
        private let done = DispatchGroup()
        private var bytes: [UInt8]?
        /// The file as parsed, its lines found on this thread too.
        private var file: SourceFile?
        private var text: String?
        private var failure: String?
        private var lock = AllocationLock()
        private var diagnostics: [Diagnostic] = []
        /// Where the lock's spans point until it has its place among the sources.
        static let provisional = FileID(UInt32.max)

        init(entry: String, provider: any SourceProvider, background: Bool = false) {
            path = provider.absolute(entry) + LockFile.suffix
            display = entry + LockFile.suffix
            if background {
                DispatchQueue.global().async(group: done) { self.load(provider) }
            } else {
                load(provider)
            }
        }

        private func load(_ provider: any SourceProvider) {
            guard provider.canonicalPath(path) != nil else { return }
            switch provider.read(path) {
            case .success(let b):
                bytes = b
                text = String(decoding: b, as: UTF8.self)
                let source = SourceFile(id: Self.provisional, displayPath: display, bytes: b)
                file = source
                (lock, diagnostics) = AllocationLock.parse(source)
            case .failure(let error):
                failure = "\(error)"
            }
        }

        /// Waits for the read, and gives the lock its place in `sources`.
        func attach(to sources: inout SourceMap) -> Loaded {
            done.wait()
            if let failure {
                let id = sources.add(displayPath: display, bytes: [])
                let d = Diagnostic(
                    .fileUnreadable, at: Span(file: id, start: 0, end: 0), "cannot read `\(display)`: \(failure)")
                return Loaded(
                    lock: AllocationLock(), old: "", path: path, displayPath: display, file: id, diagnostics: [d])
            }
            guard let bytes else {
                return Loaded(
                    lock: AllocationLock(), old: nil, path: path, displayPath: display, file: nil, diagnostics: [])
            }
            let id = file.map { sources.add($0) } ?? sources.add(displayPath: display, bytes: bytes)
            return Loaded(
                lock: lock.moving(to: id), old: text, bytes: bytes, path: path,
                displayPath: display, file: id, diagnostics: diagnostics.map { $0.moving(Self.provisional, to: id) })
        }
    }

    /// The lock text a build writes: nothing while there is nothing to
    /// record and no file, else the whole lock (an emptied lock stays, with
    /// its header, so the file does not come and go).
    static func text(_ lock: AllocationLock, read: Loaded, entry: String) -> String? {
        if lock.isEmpty && read.old == nil { return nil }
        let name = Paths.lastComponent(of: entry)
        // Nothing moved and the file is fabricc's own text: it is current
        // without rendering 100,000 lines to find out.
        if let bytes = read.bytes, lock.unchangedText(from: read.lock, text: bytes, entry: name) != nil {
            return read.old
        }
        return lock.rendered(entry: name)
    }

    public struct Failure: Error, CustomStringConvertible {
        public let description: String
    }

    /// Replaces the lock atomically (a temporary file beside it, flushed,
    /// then renamed), so a killed build leaves the old lock or the new one.
    public static func write(_ state: LockState) throws(Failure) {
        guard let text = state.new, !state.isCurrent else { return }
        let directory = Paths.directory(of: state.path)
        let temporary = directory + "/.\(Paths.lastComponent(of: state.path)).\(getpid()).tmp"
        // The old lock's mode, else a plain file's.
        var st = stat()
        let mode = stat(state.path, &st) == 0 ? st.st_mode & 0o7777 : 0o644
        // The output tree's writer: a new file (never through a symlink).
        do {
            try OutputWriter.writeNew(temporary, Data(text.utf8), mode: mode)
        } catch {
            throw Failure(description: "cannot write `\(state.displayPath)`: \(error)")
        }
        let fd = open(temporary, O_RDONLY | O_CLOEXEC)
        if fd >= 0 {
            fsync(fd)
            close(fd)
        }
        guard rename(temporary, state.path) == 0 else {
            let reason = String(cString: strerror(errno))
            unlink(temporary)
            throw Failure(description: "cannot replace `\(state.displayPath)`: \(reason)")
        }
        OutputWriter.fsyncPath(directory)
    }
}
