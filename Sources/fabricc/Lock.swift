import ArgumentParser
import FabricDriver

struct Lock: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Edit the allocation lock (intent.fab.lock) beside an intent.",
        discussion: """
            fabricc build keeps the lock: every address and MAC it hands out, and, in
            quarantine, those of VMs and pods that left the intent. These edits are the
            ones a person decides:
              fabricc lock reallocate intent.fab web07     # resolve FAB4019: web07 gets a fresh allocation
              fabricc lock release intent.fab 10.0.0.7     # free a quarantined address
              fabricc lock release intent.fab --pool public
            """,
        subcommands: [Reallocate.self, Release.self])

    struct Reallocate: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Drop the allocations of VMs or pods; the next build gives them fresh ones.")

        @Argument(help: "The entry .fab file.")
        var file: String

        @Argument(help: "Names of VMs or pods.")
        var names: [String]

        func validate() throws {
            if names.isEmpty { throw ValidationError("name at least one VM or pod") }
        }

        func run() throws {
            try report { () throws(LockFile.Failure) in try LockEdit.reallocate(file, names: names) }
            writeToStandardError("fabricc: run fabricc build to allocate afresh\n")
        }
    }

    struct Release: ParsableCommand {
        static let configuration = CommandConfiguration(
            abstract: "Free quarantined addresses or MACs, so later builds may hand them out again.")

        @Argument(help: "The entry .fab file.")
        var file: String

        @Argument(help: "Quarantined addresses or MACs to free.")
        var values: [String] = []

        @Option(name: .customLong("pool"), help: "Free every quarantined address of this pool (repeatable).")
        var pools: [String] = []

        @Flag(name: .customLong("all"), help: "Free everything in quarantine.")
        var all = false

        func validate() throws {
            if values.isEmpty && pools.isEmpty && !all {
                throw ValidationError("name addresses or MACs, or give --pool NAME or --all")
            }
        }

        func run() throws {
            try report { () throws(LockFile.Failure) in
                try LockEdit.release(file, values: values, pools: pools, all: all)
            }
        }
    }
}

/// Prints what an edit removed, or its failure (exit 1).
private func report(_ edit: () throws(LockFile.Failure) -> LockEdit.Outcome) throws {
    do {
        let outcome = try edit()
        for line in outcome.removed { writeToStandardError("fabricc: removed `\(line)`\n") }
        writeToStandardError("fabricc: \(outcome.state.displayPath) updated\n")
    } catch {
        writeToStandardError("fabricc: error: \(error)\n")
        throw ExitCode(1)
    }
}
