import FabricDiagnostics
import FabricSyntax

/// The semantic stage: expand loops, build the typed IR with resolved
/// references and defaults, then run the network checks.
public enum SemanticAnalysis {
    public static func run(_ program: ParsedProgram) -> (ir: FabricIR?, diagnostics: [Diagnostic]) {
        let (roots, expandDiagnostics) = Expander.expand(program)
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
