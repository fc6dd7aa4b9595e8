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

    public static func run(_ program: ParsedProgram) -> (ir: FabricIR?, diagnostics: [Diagnostic]) {
        run(program, expanded: expand(program))
    }

    /// The rest of the stage, on `expanded` (taken over: its instances are
    /// freed as they are built).
    public static func run(_ program: ParsedProgram, expanded: consuming Expansion) -> (
        ir: FabricIR?, diagnostics: [Diagnostic]
    ) {
        let expandDiagnostics = expanded.diagnostics
        let roots = expanded.takeRoots()
        let (ir, buildDiagnostics) = IRBuilder.build(consume roots, sources: program.sources)
        var diagnostics = expandDiagnostics + buildDiagnostics
        // The checks run even when names or types had errors, so one run
        // reports every independent mistake. A hole in the model (an
        // unresolved reference, an invalid value) is nil there, and checks
        // skip what is nil; where a hole would look like a finding (a host
        // whose reflector reference failed "reaches one reflector"), the
        // builder marks it and the check passes over it.
        diagnostics += AddressingChecks.run(ir, sources: program.sources)
        diagnostics += BGPChecks.run(ir)
        diagnostics += NameChecks.run(ir)
        return (diagnostics.contains { $0.severity == .error } ? nil : ir, diagnostics)
    }
}
