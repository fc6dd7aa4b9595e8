import ArgumentParser
import FabricBackends
import FabricDriver
import Foundation

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an intent and write every artifact it describes.",
        discussion: """
            Writes out/<backend>/…. Nothing is written when the intent has an error.
            Secrets named with `env` or `file` are read now.
              fabricc build examples/s5-ip-fabric.fab -o out
              fabricc build intent.fab -o out --backend bird
              fabricc build intent.fab -o out --previous out   # refuse IPPool changes Antrea refuses
            Backends: \(BackendRegistry.names.joined(separator: ", ")).
            """
    )

    @Argument(help: "The entry .fab file.")
    var file: String

    @Option(name: [.short, .customLong("output")], help: "Output directory.")
    var output = "out"

    @Option(name: .customLong("backend"), help: "Run only this backend (repeatable; default: all).")
    var backends: [String] = []

    @Option(name: .customLong("previous"), help: ArgumentHelp(
        "The output directory of the last build: changes a target refuses on existing objects are errors.",
        valueName: "dir"))
    var previous: String?

    @Flag(name: .customLong("allow-breaking"), help: "With --previous: report such changes as warnings and write anyway.")
    var allowBreaking = false

    @Flag(name: .customLong("check"), help: "Write nothing; list the files a build would change. Exit 0 when current, 2 when not.")
    var checkOnly = false

    @Flag(name: .customLong("diff"), help: "With --check: print a unified diff of each file that would change.")
    var diff = false

    @OptionGroup var diagnostics: DiagnosticOptions

    func validate() throws {
        if diff && !checkOnly { throw ValidationError("--diff goes with --check") }
        for name in backends where BackendRegistry.named(name) == nil {
            throw ValidationError("unknown backend `\(name)`; backends: \(BackendRegistry.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        var previousFiles: [String: String] = [:]
        if let previous {
            do {
                previousFiles = try PreviousBuild.read(previous)
            } catch {
                writeToStandardError("fabricc: error: \(error)\n")
                throw ExitCode(1)
            }
        }
        let options = BuildOptions(check: diagnostics.checkOptions, backends: backends,
                                   environment: ProcessInfo.processInfo.environment,
                                   previous: previousFiles, allowBreaking: allowBreaking)
        let result = Driver.build(file, options: options)
        diagnostics.report([result.asCheckResult])
        if result.hasErrors { throw ExitCode(1) }
        // `out/` and `out` name the same folder in messages.
        let shown = output.count > 1 && output.hasSuffix("/") ? String(output.dropLast()) : output
        do {
            if checkOnly {
                let changes = try OutputWriter.changes(result.plan, in: output)
                // Standard output may be a SARIF or JSON document already.
                let machine = [.json, .sarif, .github].contains(diagnostics.diagnosticFormat)
                func say(_ text: String) { if machine { writeToStandardError(text) } else { print(text, terminator: "") } }
                for change in changes {
                    say("\(shown)/\(change.path): would be \(change.kind.rawValue)\n")
                    if diff {
                        say(UnifiedDiff.render(old: change.old, new: change.new, oldLabel: "\(shown)/\(change.path)",
                                               newLabel: "\(shown)/\(change.path) (new)"))
                    }
                }
                writeToStandardError(changes.isEmpty ? "fabricc: \(shown)/ is current\n"
                    : "fabricc: \(shown)/ is out of date: \(changes.count) file\(changes.count == 1 ? "" : "s") would change; run fabricc build\n")
                if !changes.isEmpty { throw ExitCode(2) }
                return
            }
            let (changes, notes) = try OutputWriter.write(result.plan, to: output)
            for note in notes { writeToStandardError("fabricc: note: \(note)\n") }
            let count = result.files.count
            writeToStandardError("fabricc: \(count) file\(count == 1 ? "" : "s") in \(shown)/, \(changes.filter { $0.path != Manifest.fileName }.count) changed\n")
        } catch let failure as OutputWriter.Failure {
            writeToStandardError("fabricc: error: \(failure)\n")
            throw ExitCode(1)
        }
    }
}
