import FabricBase
import FabricDiagnostics
import FabricSema
import FabricSyntax

/// `fabricc lock`: the two edits a person makes to an allocation lock,
/// done by fabricc so the file stays sorted and readable.
public enum LockEdit {
    public struct Outcome: Sendable {
        public let state: LockState
        /// The lines removed, as they read.
        public let removed: [String]
    }

    /// The lock beside `entry`, read; its unreadable lines are an error
    /// here (an edit would drop them).
    static func load(_ entry: String, provider: any SourceProvider) throws(LockFile.Failure) -> (
        LockFile.Loaded, SourceMap
    ) {
        var sources = SourceMap()
        let loaded = LockFile.read(entry: entry, provider: provider, into: &sources)
        guard loaded.old != nil else { throw LockFile.Failure(description: "\(loaded.displayPath) does not exist") }
        if let d = loaded.diagnostics.first {
            let line = sources.location(of: d.primary.span).line
            throw LockFile.Failure(
                description:
                    "\(loaded.displayPath):\(line): \(d.message); fix the lock by hand first (fabricc explain \(d.code.id))"
            )
        }
        return (loaded, sources)
    }

    static func lines(_ lock: AllocationLock, entry: String) -> Set<String> {
        Set(lock.rendered(entry: entry).split(separator: "\n").map(String.init).filter { !$0.hasPrefix("#") })
    }

    static func outcome(_ loaded: LockFile.Loaded, _ lock: AllocationLock, entry: String) -> Outcome {
        let name = Paths.lastComponent(of: entry)
        let before = lines(loaded.lock, entry: name)
        let after = lines(lock, entry: name)
        return Outcome(
            state: LockState(
                path: loaded.path, displayPath: loaded.displayPath, old: loaded.old,
                new: lock.rendered(entry: name)),
            removed: before.subtracting(after).sorted())
    }

    /// Frees quarantined addresses and MACs: those named, those of `pools`,
    /// or all of them. Freed values may be handed out by the next build.
    public static func release(
        _ entry: String, values: [String], pools: [String], all: Bool,
        provider: any SourceProvider = DiskSourceProvider()
    ) throws(LockFile.Failure) -> Outcome {
        let (loaded, _) = try load(entry, provider: provider)
        var addresses = Set<IPAddress>()
        var macs = Set<UInt64>()
        for v in values {
            if let a = Lexer.address(v) {
                addresses.insert(a)
            } else if let m = MACAddress(text: v) {
                macs.insert(m.value)
            } else {
                throw LockFile.Failure(description: "`\(v)` is neither an address nor a MAC")
            }
        }
        var lock = loaded.lock
        lock.quarantined.removeAll { q in
            if all { return true }
            switch q.value {
            case .address(let a, let pool): return addresses.contains(a) || pools.contains(pool)
            case .mac(let m): return macs.contains(m.value)
            }
        }
        let result = outcome(loaded, lock, entry: entry)
        if result.removed.isEmpty {
            throw LockFile.Failure(description: "nothing in quarantine matches in \(loaded.displayPath)")
        }
        try LockFile.write(result.state)
        return result
    }

    /// Drops the lines of the named VMs and pods, so the next build gives
    /// them fresh allocations: how a conflict (FAB4019) is resolved.
    public static func reallocate(
        _ entry: String, names: [String], provider: any SourceProvider = DiskSourceProvider()
    ) throws(LockFile.Failure) -> Outcome {
        let (loaded, _) = try load(entry, provider: provider)
        var lock = loaded.lock
        let known = Set(lock.addresses.map(\.owner.name) + lock.macs.map(\.owner.name))
        if let missing = names.first(where: { !known.contains($0) }) {
            throw LockFile.Failure(description: "\(loaded.displayPath) allocates nothing to `\(missing)`")
        }
        let drop = Set(names)
        lock.addresses.removeAll { drop.contains($0.owner.name) }
        lock.macs.removeAll { drop.contains($0.owner.name) }
        let result = outcome(loaded, lock, entry: entry)
        try LockFile.write(result.state)
        return result
    }
}
