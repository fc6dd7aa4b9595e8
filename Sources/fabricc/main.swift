import ArgumentParser
import FabricDriver

/// `fabricc`: argument parsing and wiring only; the work is in FabricDriver.
struct Fabricc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fabricc",
        abstract: "Compile a data-center fabric intent (*.fab) into device configurations.",
        discussion: """
            Examples:
              fabricc build examples/s5-ip-fabric.fab -o out
              fabricc check examples/dc1.fab
              fabricc check --diagnostic-format short intent.fab other.fab
              fabricc fmt intent.fab
              fabricc explain FAB1013
              fabricc dump-ast examples/s5-ip-fabric.fab
              fabricc dump-ir examples/s5-ip-fabric.fab

            Exit status: 0 clean, 1 errors in the intent, 2 artifacts out of
            date (build --check), 64 usage error.
            """,
        version: "fabricc \(FabricVersion.current)",
        subcommands: [Build.self, Check.self, Format.self, Explain.self, DumpAST.self, DumpIR.self]
    )
}

Fabricc.main()
