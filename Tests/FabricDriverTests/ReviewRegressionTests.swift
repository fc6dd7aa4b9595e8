import FabricDiagnostics
import FabricDriver
import FabricSyntax
import Foundation
import Testing

@Suite struct ReviewRegressionTests {
    func check(_ text: String) -> CheckResult {
        Driver.check("main.fab", provider: MemorySourceProvider(files: ["/p/main.fab": text], workingDirectory: "/p"))
    }

    @Test func reservedWordsCannotBeNames() {
        #expect(check("host for { }").diagnostics.map(\.code.id) == ["FAB2005"])
        #expect(check("host \"in\" { }").diagnostics.isEmpty)
    }

    @Test func controlCharactersInMessagesAreEscaped() {
        let r = check("include \"x\\u{1b}[31mRED\\n.fab\"")
        #expect(r.diagnostics.map(\.code.id) == ["FAB1030"])
        for format in [DiagnosticFormat.rich, .short] {
            let text = Driver.render([r], format: format, colors: false, errorLimit: 0)
            #expect(!text.contains("\u{1B}"), "\(format)")
            #expect(text.contains("\\u{1b}[31mRED\\u{a}.fab"), "\(format)")
        }
        #expect(Driver.render([r], format: .short, colors: false, errorLimit: 0).split(separator: "\n").count == 1)
    }

    @Test func wideCharactersKeepTheCaretUnderTheMistake() {
        let r = check("host \"中文\" { mtu 09 }")
        let text = Driver.render([r], format: .rich, colors: false, errorLimit: 0)
        // `09` starts after 18 cells: `host "` (6), two CJK characters
        // taking two cells each (4), `" { mtu ` (8).
        #expect(text.contains("\n  | " + String(repeating: " ", count: 18) + "^^ leading zero\n"), "\(text)")
    }

    @Test func dumpCommandsKeepStdoutForTheDump() throws {
        try withFiles(["a.fab": "host a { mtu 09 }\n"]) { dir in
            let r = try CLI.run(["dump-ast", "--diagnostic-format", "json", "a.fab"], in: dir)
            #expect(r.status == 1)
            #expect(r.stdout.hasPrefix("file a.fab\n"))
            #expect(r.stderr.contains("\"code\" : \"FAB1014\""))
        }
    }

    @Test func explainUnknownCodeSaysSo() throws {
        let r = try CLI.run(["explain", "FAB9999"])
        #expect(r.status == 64)
        #expect(r.stderr.hasPrefix("error: unknown diagnostic code `FAB9999`"))
    }

    @Test func dotDotAfterASymlinkIsPhysical() throws {
        let fm = FileManager.default
        let base = fm.temporaryDirectory.appendingPathComponent("fabricc-dotdot-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: base) }
        try fm.createDirectory(at: base.appendingPathComponent("deep/inner"), withIntermediateDirectories: true)
        try fm.createDirectory(at: base.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try fm.createSymbolicLink(at: base.appendingPathComponent("sub/link"), withDestinationURL: base.appendingPathComponent("deep/inner"))
        try "vlan deep { id 5 }\n".write(to: base.appendingPathComponent("deep/x.fab"), atomically: true, encoding: .utf8)
        try "vlan lexical { id 6 }\n".write(to: base.appendingPathComponent("sub/x.fab"), atomically: true, encoding: .utf8)
        try "include \"sub/link/../x.fab\"\n".write(to: base.appendingPathComponent("main.fab"), atomically: true, encoding: .utf8)
        let r = Driver.check(base.appendingPathComponent("main.fab").path)
        // The file a shell would read: deep/x.fab.
        #expect(r.diagnostics.map(\.message) == ["vlan `deep` is never used"])
    }
}
