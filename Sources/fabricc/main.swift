import ArgumentParser
import FabricDriver
import Foundation

/// `fabricc`: argument parsing and wiring only; the work is in FabricDriver.
struct Fabricc: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fabricc",
        abstract: "Compile a data-center fabric intent (*.fab) into device configurations.",
        discussion: """
            Examples:
              fabricc build examples/s5-ip-fabric.fab -o out --secrets ~/.fabricc-secrets
              fabricc check examples/dc1.fab
              fabricc check --diagnostic-format short intent.fab other.fab
              fabricc fmt intent.fab
              fabricc explain FAB1013
              fabricc dump-ast examples/s5-ip-fabric.fab
              fabricc dump-ir examples/s5-ip-fabric.fab
              fabricc graph examples/s5-ip-fabric.fab -o s5.svg
              fabricc lock release intent.fab --pool public
              fabricc lsp                                      # for editors

            Exit status: 0 clean, 1 errors in the intent, 2 artifacts or the
            allocation lock out of date (build --check, --locked), 64 usage error.
            """,
        version: "fabricc \(FabricVersion.current)",
        subcommands: [
            Build.self, Check.self, Format.self, Explain.self, DumpAST.self, DumpIR.self, Lock.self, Graph.self,
            LSP.self,
        ]
    )
}

// Paths reach the file system as UTF-8 text: an argument that is not
// UTF-8 would be read as another name (its bytes replaced by U+FFFD), so
// it is refused before anything runs, shown with its bytes escaped.
for index in 1..<Int(CommandLine.argc) {
    guard let raw = CommandLine.unsafeArgv[index], String(validatingCString: raw) == nil else { continue }
    let bytes = UnsafeBufferPointer(
        start: UnsafeRawPointer(raw).assumingMemoryBound(to: UInt8.self), count: strlen(raw))
    let shown = bytes.map {
        $0 >= 0x20 && $0 < 0x7F && $0 != UInt8(ascii: "\\")
            ? String(UnicodeScalar($0)) : "\\x" + String($0, radix: 16, uppercase: true)
    }.joined()
    FileHandle.standardError.write(
        Data(
            "fabricc: error: argument `\(shown)` is not UTF-8; fabricc reads and writes file names in UTF-8 only: rename the file\n"
                .utf8))
    exit(64)
}

HugePageHeap.enable()
Fabricc.main()
