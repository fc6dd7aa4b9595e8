import ArgumentParser
import FabricDriver

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check intents and report diagnostics; writes nothing.",
        discussion: """
            Each FILE is a separate intent with its includes. Use it as a pre-commit hook:
              fabricc check --diagnostic-format short dc1.fab
            """
    )

    @Argument(help: "Entry .fab files to check.")
    var files: [String]

    @OptionGroup var diagnostics: DiagnosticOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one .fab file to check") }
        try diagnostics.validate(entries: files)
    }

    func run() throws {
        let results = files.map { Driver.check($0, options: diagnostics.checkOptions) }
        defer { KeptUntilExit.keep(results) }
        diagnostics.report(results)
        if results.contains(where: \.hasErrors) { throw ExitCode(1) }
    }
}
