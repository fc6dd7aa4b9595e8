import FabricDiagnostics
import FabricDriver
import FabricSyntax

enum FabricDriverCheck {
    /// Checks `/doc/example.fab` and returns its diagnostics in short form.
    static func run(provider: MemorySourceProvider) -> String {
        let result = Driver.check("example.fab", provider: provider)
        return DiagnosticRenderer(format: .short).render(result.diagnostics, sources: result.sources)
    }
}
