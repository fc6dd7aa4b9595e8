import ArgumentParser
import FabricDiagnostics
import FabricDriver
import FabricSyntax
import Foundation

struct Format: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fmt",
        abstract: "Rewrite .fab files in the one canonical layout (comments kept).",
        discussion: """
            Only layout changes: tokens, comments and their order stay, so the
            syntax tree is the same. A file with syntax errors is left alone.
              fabricc fmt intent.fab racks/*.fab
              fabricc fmt --check intent.fab      # exit 1 when a file is not formatted
            """
    )

    @Argument(help: "The .fab files.")
    var files: [String]

    @Flag(name: .customLong("check"), help: "Write nothing; list the files that are not formatted and exit 1 if any.")
    var checkOnly = false

    @OptionGroup var diagnostics: DiagnosticOptions

    func run() throws {
        var failed = false
        var unformatted: [String] = []
        // One map and one report for every file: a SARIF or JSON document, not one per file.
        var sources = SourceMap()
        var problems: [Diagnostic] = []
        defer { if !problems.isEmpty { diagnostics.report(problems, sources: sources) } }
        for path in files {
            guard let data = FileManager.default.contents(atPath: path) else {
                writeToStandardError("fabricc: error: cannot read \(path)\n")
                failed = true
                continue
            }
            let id = sources.add(displayPath: path, bytes: Array(data))
            let (text, found) = Formatter.format(sources[id])
            guard let text else {
                problems += found
                failed = true
                continue
            }
            guard Data(text.utf8) != data else { continue }
            unformatted.append(path)
            if checkOnly {
                print("\(path): not formatted")
            } else if !FormatWriter.replace(path, with: Data(text.utf8)) {
                writeToStandardError("fabricc: error: cannot write \(path)\n")
                failed = true
            }
        }
        if !checkOnly, !unformatted.isEmpty {
            writeToStandardError("fabricc: formatted \(unformatted.count) file\(unformatted.count == 1 ? "" : "s")\n")
        }
        if failed || (checkOnly && !unformatted.isEmpty) { throw ExitCode(1) }
    }
}
