import Dispatch
import FabricDiagnostics
import FabricSema
import FabricSyntax
import Foundation

/// The structure check and the loop expansion of one tree, on two cores:
/// both only read the tree, and each is about a tenth of a big `check`.
enum StructureAndExpansion {
    static func run(_ program: ParsedProgram, expand: Bool) -> (
        structure: [Diagnostic], expansion: SemanticAnalysis.Expansion?
    ) {
        guard expand else { return (StructureChecker.check(program), nil) }
        // The expansion stays on this thread: the model is built here from
        // the memory its instances free, which another thread's malloc arena
        // would keep apart (a fifth more peak memory). The structure check
        // allocates little that outlives it.
        let slot = Slot()
        let done = DispatchGroup()
        DispatchQueue.global().async(group: done) {
            let structure = StructureChecker.check(program)
            slot.lock.withLock { slot.structure = structure }
        }
        let expansion = SemanticAnalysis.expand(program)
        done.wait()
        return (slot.lock.withLock { slot.structure }, expansion)
    }

    /// Written by the other thread, read once it is done.
    private final class Slot: @unchecked Sendable {
        let lock = NSLock()
        var structure: [Diagnostic] = []
    }
}
