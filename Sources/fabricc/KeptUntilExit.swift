import Foundation

/// Holds a command's result until the process exits. A big intent's syntax
/// tree, model and output are millions of small allocations: freeing them
/// one by one just before exit cost a tenth of a `check`, and the kernel
/// takes the whole heap back at once anyway. One slot, replaced on each
/// call, so in-process callers (the tests) keep only the last result.
enum KeptUntilExit {
    private static let lock = NSLock()
    nonisolated(unsafe) private static var slot: (any Sendable)?

    static func keep(_ value: some Sendable) {
        let previous: (any Sendable)? = lock.withLock {
            defer { slot = value }
            return slot
        }
        _ = previous
    }
}
