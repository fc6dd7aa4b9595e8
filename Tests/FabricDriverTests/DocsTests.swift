import FabricDiagnostics
import FabricSyntax
import Foundation
import Testing

/// The docs are checked against the code so they cannot drift.
@Suite("docs") struct DocsTests {
    static func read(_ path: String) throws -> String {
        try String(contentsOf: CLI.packageRoot.appendingPathComponent(path), encoding: .utf8)
    }

    @Test func diagnosticsMarkdownIsGeneratedFromTheCatalogue() throws {
        let expected = DiagnosticCatalogue.markdown()
        let path = CLI.packageRoot.appendingPathComponent("docs/diagnostics.md")
        let actual = try? String(contentsOf: path, encoding: .utf8)
        if actual != expected, ProcessInfo.processInfo.environment["FABRICC_UPDATE_GOLDEN"] == "1" {
            try expected.write(to: path, atomically: true, encoding: .utf8)
            Issue.record("rewrote docs/diagnostics.md; review the diff and run again")
            return
        }
        #expect(actual == expected, "docs/diagnostics.md is stale: run FABRICC_UPDATE_GOLDEN=1 swift test --filter DocsTests")
    }

    @Test func languageReferenceMentionsEveryKeyword() throws {
        let text = try Self.read("docs/language.md")
        for block in LanguageSchema.blocks {
            #expect(text.contains("`\(block.keyword)`"), "docs/language.md does not document block `\(block.keyword)`")
            for attribute in block.attributes {
                #expect(text.contains("`\(attribute.name)`"), "docs/language.md does not document `\(attribute.name)` of `\(block.keyword)`")
            }
        }
        for word in LanguageSchema.reservedWords {
            #expect(text.contains("`\(word)`"))
        }
    }

    /// Every fenced `fab` example in the docs must pass `fabricc check`
    /// (exit 0: no errors; a focused example may leave a warning).
    @Test func languageExamplesCheckClean() throws {
        let text = try Self.read("docs/language.md")
        let blocks = text.components(separatedBy: "```fab\n").dropFirst().map { $0.components(separatedBy: "```")[0] }
        #expect(blocks.count >= 10)
        for (n, block) in blocks.enumerated() {
            let provider = MemorySourceProvider(files: ["/doc/example.fab": block, "/doc/hosts.fab": "host kvm9 { }\n"], workingDirectory: "/doc")
            let result = FabricDriverCheck.run(provider: provider)
            #expect(!result.contains(": error["), "example \(n + 1) in docs/language.md:\n\(block)\n\(result)")
        }
    }
}
