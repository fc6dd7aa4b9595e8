import ArgumentParser
import FabricDriver
import FabricSyntax

struct DumpAST: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump-ast",
        abstract: "Print the syntax tree of an intent and its includes (for debugging)."
    )

    @Argument(help: "The entry .fab file.")
    var file: String

    @OptionGroup var diagnostics: DiagnosticOptions

    func validate() throws { try diagnostics.validate(entries: [file]) }

    func run() throws {
        let result = Driver.check(file, options: diagnostics.checkOptions)
        print(ASTDump.render(result.program.files, sources: result.sources), terminator: "")
        diagnostics.report([result], stdoutIsTaken: true)
        if result.hasErrors { throw ExitCode(1) }
    }
}
