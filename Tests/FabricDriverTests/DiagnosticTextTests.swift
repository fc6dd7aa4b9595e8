import FabricDiagnostics
import FabricDriver
import FabricSyntax
import Testing

/// What a diagnostic's text holds when the source is hostile or wide.
@Suite struct DiagnosticTextTests {
    func check(_ text: String) -> CheckResult {
        Driver.check("main.fab", provider: MemorySourceProvider(files: ["/p/main.fab": text], workingDirectory: "/p"))
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
}
