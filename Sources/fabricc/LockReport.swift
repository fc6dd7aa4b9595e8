import FabricDriver

/// How `check` and `build` speak about the allocation lock.
enum LockReport {
    /// `--locked` on an out-of-date lock: what would change, as a diff.
    /// On stdout unless stdout holds a machine-readable document.
    static func stale(_ lock: LockState, machine: Bool) {
        let diff = UnifiedDiff.render(
            old: lock.old, new: lock.new, oldLabel: lock.displayPath, newLabel: "\(lock.displayPath) (new)")
        if machine { writeToStandardError(diff) } else { print(diff, terminator: "") }
        writeToStandardError(
            "fabricc: error: \(lock.displayPath) is out of date and --locked forbids changing it; "
                + "run fabricc build without --locked and commit the lock\n")
    }
}
