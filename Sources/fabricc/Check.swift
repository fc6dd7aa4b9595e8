import ArgumentParser
import FabricDriver

struct Check: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Check intents and report diagnostics; writes nothing.",
        discussion: """
            Each FILE is a separate intent with its includes. Use it as a pre-commit hook:
              fabricc check --diagnostic-format short dc1.fab
            With --locked (CI), an allocation lock a build would change fails the check.
            """
    )

    @Argument(help: "Entry .fab files to check.")
    var files: [String]

    @Flag(
        name: .customLong("locked"),
        help: "Fail (exit 2) with a diff when the allocation lock is not current (CI).")
    var locked = false

    @OptionGroup var diagnostics: DiagnosticOptions

    func validate() throws {
        guard !files.isEmpty else { throw ValidationError("give at least one .fab file to check") }
        try diagnostics.validate(entries: files)
    }

    func run() throws {
        if let first = files.first { HugePageHeap.prefault(forEntry: first) }
        let results = files.map { Driver.check($0, options: diagnostics.checkOptions) }
        defer { KeptUntilExit.keep(results) }
        diagnostics.report(results)
        if results.contains(where: \.hasErrors) { throw ExitCode(1) }
        // `check` never writes: the lock it would change is named (or, with
        // --locked, shown and refused).
        var stale = false
        for lock in results.compactMap(\.lock) where !lock.isCurrent {
            if locked {
                LockReport.stale(lock, machine: diagnostics.diagnosticFormat.isForMachines)
                stale = true
            } else {
                writeToStandardError(
                    "fabricc: note: \(lock.displayPath) would change; fabricc build writes it\n")
            }
        }
        if stale { throw ExitCode(2) }
    }
}
