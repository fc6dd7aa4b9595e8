import ArgumentParser
import FabricDriver

struct DumpIR: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "dump-ir",
        abstract: "Print the checked model of an intent as stable JSON (what the generators read)."
    )

    @Argument(help: "The entry .fab file.")
    var file: String

    @OptionGroup var diagnostics: DiagnosticOptions

    func validate() throws { try diagnostics.validate(entries: [file]) }

    func run() throws {
        let result = Driver.check(file, options: diagnostics.checkOptions)
        diagnostics.report([result], stdoutIsTaken: true)
        guard let ir = result.ir else { throw ExitCode(1) }
        print(ir.json(sources: result.sources), terminator: "")
    }
}
