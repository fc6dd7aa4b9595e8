import ArgumentParser
import FabricBackends
import FabricDriver
import Foundation

struct Build: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check an intent and write every artifact it describes.",
        discussion: """
            Writes out/<backend>/…. Nothing is written when the intent has an error.
            No secret value is ever written under out/: the configs name their
            secrets, and with --secrets DIR the values (read now, from `env` or
            `file`) go to DIR/<backend>/<device>.secrets.*, mode 0600 in 0700 folders.
              fabricc build examples/s5-ip-fabric.fab -o out --secrets /run/fabricc
              fabricc build intent.fab -o out --backend bird
              fabricc build intent.fab -o out --previous out   # refuse IPPool changes Antrea refuses
              fabricc build intent.fab -o out --locked         # CI: fail if the allocation lock would change
            Addresses and MACs fabricc allocates are kept in intent.fab.lock beside the entry.
            Backends: \(BackendRegistry.names.joined(separator: ", ")).
            """
    )

    @Argument(help: "The entry .fab file.")
    var file: String

    @Option(name: [.short, .customLong("output")], help: "Output directory.")
    var output = "out"

    @Option(name: .customLong("backend"), help: "Run only this backend (repeatable; default: all).")
    var backends: [String] = []

    @Option(
        name: .customLong("previous"),
        help: ArgumentHelp(
            "The output directory of the last build: changes a target refuses on existing objects are errors.",
            valueName: "dir"))
    var previous: String?

    @Flag(
        name: .customLong("allow-breaking"), help: "With --previous: report such changes as warnings and write anyway.")
    var allowBreaking = false

    @Option(
        name: .customLong("secrets"),
        help: ArgumentHelp(
            "Read the secrets the sessions use and write their values here (outside the output folder and the project).",
            valueName: "dir"))
    var secrets: String?

    @Flag(
        name: .customLong("into-existing"),
        help: "Write into a non-empty output folder that fabricc did not write, beside what is there.")
    var intoExisting = false

    @Flag(
        name: .customLong("check"),
        help: "Write nothing; list the files a build would change. Exit 0 when current, 2 when not.")
    var checkOnly = false

    @Flag(name: .customLong("diff"), help: "With --check: print a unified diff of each file that would change.")
    var diff = false

    @Flag(
        name: .customLong("locked"),
        help: "Write nothing and exit 2, with a diff, when the allocation lock would change (CI).")
    var locked = false

    @OptionGroup var diagnostics: DiagnosticOptions

    func validate() throws {
        if diff && !checkOnly { throw ValidationError("--diff goes with --check") }
        try diagnostics.validate(entries: [file])
        if secrets != nil && checkOnly {
            throw ValidationError(
                "--secrets does not go with --check: the check compares only the committed tree, which holds no secret")
        }
        for name in backends where BackendRegistry.named(name) == nil {
            throw ValidationError(
                "unknown backend `\(name)`; backends: \(BackendRegistry.names.joined(separator: ", "))")
        }
    }

    func run() throws {
        var previousFiles: [String: String] = [:]
        if let previous {
            do {
                previousFiles = try PreviousBuild.read(previous)
            } catch {
                writeToStandardError("fabricc: \(error.code.map { "error[\($0.id)]" } ?? "error"): \(error)\n")
                throw ExitCode(error.isUsage ? 64 : 1)
            }
        }
        let options = BuildOptions(
            check: diagnostics.checkOptions, backends: backends,
            environment: ProcessInfo.processInfo.environment, writeSecrets: secrets != nil,
            previous: previousFiles, allowBreaking: allowBreaking)
        HugePageHeap.prefault(forEntry: file)
        let result = Driver.build(file, options: options)
        defer { KeptUntilExit.keep(result) }
        diagnostics.report([result.asCheckResult])
        if result.hasErrors { throw ExitCode(1) }
        if locked, let lock = result.lock, !lock.isCurrent {
            LockReport.stale(lock, machine: diagnostics.diagnosticFormat.isForMachines)
            throw ExitCode(2)
        }
        // `out/` and `out` name the same folder in messages.
        let shown = output.count > 1 && output.hasSuffix("/") ? String(output.dropLast()) : output
        do {
            if checkOnly {
                let changes = try OutputWriter.changes(result.plan, in: output)
                // Standard output may be a SARIF or JSON document already.
                let machine = diagnostics.diagnosticFormat.isForMachines
                func say(_ text: String) {
                    if machine { writeToStandardError(text) } else { print(text, terminator: "") }
                }
                // The lock beside the entry is part of what a build changes.
                let staleLock = result.lock.flatMap { $0.isCurrent ? nil : $0 }
                if let lock = staleLock {
                    say("\(lock.displayPath): would be \(lock.old == nil ? "added" : "changed")\n")
                    if diff {
                        say(
                            UnifiedDiff.render(
                                old: lock.old, new: lock.new, oldLabel: lock.displayPath,
                                newLabel: "\(lock.displayPath) (new)"))
                    }
                }
                for change in changes {
                    say("\(shown)/\(change.path): would be \(change.kind.rawValue)\n")
                    if diff {
                        say(
                            UnifiedDiff.render(
                                old: change.old.map(LegacySecretRedaction.masked), new: change.new,
                                oldLabel: "\(shown)/\(change.path)",
                                newLabel: "\(shown)/\(change.path) (new)"))
                    }
                }
                writeToStandardError(
                    changes.isEmpty
                        ? "fabricc: \(shown)/ is current\n"
                        : "fabricc: \(shown)/ is out of date: \(changes.count) file\(changes.count == 1 ? "" : "s") would change; run fabricc build\n"
                )
                if let lock = staleLock {
                    writeToStandardError("fabricc: \(lock.displayPath) is out of date; run fabricc build\n")
                }
                if !changes.isEmpty || staleLock != nil { throw ExitCode(2) }
                return
            }
            // The secrets first: a config in out/ never names a file that
            // the secrets folder has not got yet.
            if let secrets {
                try SecretWriter.validate(secrets, output: output, projectRoot: result.projectRoot)
                let changed = try SecretWriter.write(result.secretFiles, backends: result.backends, to: secrets)
                let count = result.secretFiles.count
                writeToStandardError(
                    "fabricc: \(count) secret file\(count == 1 ? "" : "s") in \(secrets), \(changed) changed\n")
            } else if !result.referencedSecrets.isEmpty {
                let names = result.referencedSecrets.map { "`\($0)`" }.joined(separator: ", ")
                writeToStandardError(
                    "fabricc: note: the configs name secret\(result.referencedSecrets.count == 1 ? "" : "s") \(names) but hold no value; "
                        + "pass --secrets DIR to write the values outside \(shown)/ (see docs/backends.md, Secrets)\n")
            }
            let (changes, notes) = try OutputWriter.write(
                result.plan, to: output, options: OutputWriter.Options(intoExisting: intoExisting))
            for note in notes { writeToStandardError("fabricc: note: \(note)\n") }
            // After the tree: a build killed in between leaves the old lock,
            // from which the next build derives the same allocations again.
            if let lock = result.lock, !lock.isCurrent {
                try LockFile.write(lock)
                writeToStandardError("fabricc: \(lock.displayPath) \(lock.old == nil ? "written" : "updated")\n")
            }
            let count = result.files.count
            writeToStandardError(
                "fabricc: \(count) file\(count == 1 ? "" : "s") in \(shown)/, \(changes.filter { $0.path != Manifest.fileName }.count) changed\n"
            )
        } catch let failure as LockFile.Failure {
            writeToStandardError("fabricc: error: \(failure)\n")
            throw ExitCode(1)
        } catch let failure as OutputWriter.Failure {
            writeToStandardError("fabricc: \(failure.code.map { "error[\($0.id)]" } ?? "error"): \(failure)\n")
            throw ExitCode(1)
        }
    }
}
