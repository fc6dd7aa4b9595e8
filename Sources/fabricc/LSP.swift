import ArgumentParser
import FabricLSP

struct LSP: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Run the language server on standard input and output (for editors; see docs/editors.md).")

    func run() throws {
        let status = LanguageServer().run()
        if status != 0 { throw ExitCode(status) }
    }
}
