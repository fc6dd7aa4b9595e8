import FabricDiagnostics
import FabricSyntax

/// The semantic stage: expand loops, build the typed IR with resolved
/// references and defaults, then run the network checks.
public enum SemanticAnalysis {
    public static func run(_ program: ParsedProgram) -> (ir: FabricIR?, diagnostics: [Diagnostic]) {
        let (roots, expandDiagnostics) = Expander.expand(program)
        let (ir, spans, buildDiagnostics) = IRBuilder.build(roots, sources: program.sources)
        var diagnostics = expandDiagnostics + buildDiagnostics
        // Checks over a model with holes would report the holes again.
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return (nil, diagnostics) }
        diagnostics += AddressingChecks.run(ir, spans, sources: program.sources)
        diagnostics += BGPChecks.run(ir, spans)
        diagnostics += NameChecks.run(ir, spans)
        return (diagnostics.contains { $0.severity == .error } ? nil : ir, diagnostics)
    }
}
