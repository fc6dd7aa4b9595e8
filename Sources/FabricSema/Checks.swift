import Dispatch
import FabricDiagnostics
import Foundation

/// The three families of network checks, on every core: each only reads
/// the model, and their findings join in the order of a sequential run.
enum Checks {
    static func run(_ ir: FabricIR, sources: SourceMap) -> (diagnostics: [Diagnostic], brokenPools: Set<String>) {
        let results = Slots()
        DispatchQueue.concurrentPerform(iterations: 3) { family in
            switch family {
            case 0:
                let addressing = AddressingChecks.run(ir, sources: sources)
                results.set(0, addressing.diagnostics, brokenPools: addressing.brokenPools)
            case 1: results.set(1, BGPChecks.run(ir))
            default: results.set(2, NameChecks.run(ir))
            }
        }
        return results.joined
    }

    /// Each family's findings, written once from its thread.
    private final class Slots: @unchecked Sendable {
        private let lock = NSLock()
        private var slots: [[Diagnostic]] = [[], [], []]
        private var brokenPools: Set<String> = []

        func set(_ index: Int, _ diagnostics: [Diagnostic], brokenPools: Set<String> = []) {
            lock.withLock {
                slots[index] = diagnostics
                if index == 0 { self.brokenPools = brokenPools }
            }
        }

        var joined: (diagnostics: [Diagnostic], brokenPools: Set<String>) {
            lock.withLock { (slots.flatMap { $0 }, brokenPools) }
        }
    }
}
