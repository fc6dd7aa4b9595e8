import FabricDiagnostics
import FabricSyntax

/// The semantic stage: expand loops, build the typed IR with resolved
/// references and defaults, then run the network checks.
public enum SemanticAnalysis {
    /// Loops unrolled and expressions evaluated, not yet typed: the first
    /// half of the stage, which needs no structure check, so a caller may
    /// run it while the structure is checked (and drop it if that fails).
    public struct Expansion: Sendable {
        var roots: [Instance]
        let diagnostics: [Diagnostic]

        /// The instances, left nowhere else: the builder frees each
        /// declaration once built only if it holds the last reference.
        mutating func takeRoots() -> [Instance] {
            defer { roots = [] }
            return roots
        }
    }

    public static func expand(_ program: ParsedProgram) -> Expansion {
        let (roots, diagnostics) = Expander.expand(program)
        return Expansion(roots: roots, diagnostics: diagnostics)
    }

    /// The whole stage, allocating from an empty lock.
    public static func run(_ program: ParsedProgram) -> (ir: FabricIR?, diagnostics: [Diagnostic]) {
        let r = run(program, expanded: expand(program), lock: AllocationLock(), entry: "main.fab")
        return (r.ir, r.diagnostics)
    }

    /// The rest of the stage, on `expanded` (taken over: its instances are
    /// freed as they are built). Allocation starts from `lock` (read from
    /// the lock beside `entry`, as the user names it) and returns the lock
    /// the build would write; a nil `lock` (one that did not read cleanly)
    /// allocates nothing, so nothing can move.
    public static func run(
        _ program: ParsedProgram, expanded: consuming Expansion, lock: AllocationLock?, entry: String
    ) -> (ir: FabricIR?, diagnostics: [Diagnostic], lock: AllocationLock?) {
        let expandDiagnostics = expanded.diagnostics
        let roots = expanded.takeRoots()
        var (ir, buildDiagnostics) = IRBuilder.build(consume roots, sources: program.sources)
        var diagnostics = expandDiagnostics + buildDiagnostics
        // The checks run even when names or types had errors, so one run
        // reports every independent mistake. A hole in the model (an
        // unresolved reference, an invalid value) is nil there, and checks
        // skip what is nil; where a hole would look like a finding (a host
        // whose reflector reference failed "reaches one reflector"), the
        // builder marks it and the check passes over it.
        // Addressing, BGP and name checks, on every core.
        let addressing = Checks.run(ir, sources: program.sources)
        diagnostics += addressing.diagnostics
        // After the checks: what they found in the written intent stands on
        // its own, and the allocator never hands out what is declared.
        var next: AllocationLock?
        if let lock {
            let allocation: [Diagnostic]
            (next, allocation) = Allocator.run(&ir, lock: lock, brokenPools: addressing.brokenPools, entry: entry)
            diagnostics += allocation
        }
        return (diagnostics.contains { $0.severity == .error } ? nil : ir, diagnostics, next)
    }
}
