import FabricDiagnostics
import FabricSyntax
import FabricTestSupport
import Foundation
import Testing

/// The docs are checked against the code so they cannot drift.
@Suite("docs") struct DocsTests {
    static func read(_ path: String) throws -> String {
        try String(contentsOf: PackageRoot.url.appendingPathComponent(path), encoding: .utf8)
    }

    /// For each code, the first golden case (by name) whose only diagnostic
    /// has that code.
    static func goldenExamples() -> [String: DiagnosticCatalogue.Example] {
        let golden = PackageRoot.url.appendingPathComponent("Golden")
        guard let walker = FileManager.default.enumerator(at: golden, includingPropertiesForKeys: nil) else {
            return [:]
        }
        var examples: [String: DiagnosticCatalogue.Example] = [:]
        let files = walker.compactMap { $0 as? URL }.filter { $0.lastPathComponent == "diagnostics.txt" }.sorted {
            $0.path < $1.path
        }
        for file in files {
            let dir = file.deletingLastPathComponent()
            // main.fab is shown as the example (decoded leniently: one case
            // is deliberately not UTF-8); included files are not.
            guard let text = try? String(contentsOf: file, encoding: .utf8),
                let data = FileManager.default.contents(atPath: dir.appendingPathComponent("main.fab").path),
                data.count < 1200
            else { continue }
            let source = String(decoding: data, as: UTF8.self)
            // `$ fabricc build --diagnostic-format short main.fab [args]`, the
            // short output, then `$ fabricc build main.fab [args]` and the rich one.
            guard let richCommand = text.firstMatch(of: /\n\$ fabricc \w+ main\.fab[^\n]*\n/) else { continue }
            let short = text[..<richCommand.range.lowerBound].split(separator: "\n").dropFirst()
            let lines = Array(short)
            guard lines.count == 1, let code = lines[0].firstMatch(of: /\[(FAB[0-9]{4})\]/)?.1,
                examples[String(code)] == nil
            else { continue }
            let rich = String(text[richCommand.range.upperBound...])
            examples[String(code)] = DiagnosticCatalogue.Example(source: source, output: rich)
        }
        return examples
    }

    @Test func everyCodeHasAGoldenExample() {
        let examples = Self.goldenExamples()
        // FAB0001 needs an unreadable entry file (see CLITests), FAB0002 a
        // file over 1 GiB: neither can be a golden case. FAB80xx are about
        // the output tree on disk, not the intent (see SecurityTests).
        let missing = DiagnosticCatalogue.fabricc.all.map(\.id).filter {
            examples[$0] == nil && !["FAB0001", "FAB0002"].contains($0) && !$0.hasPrefix("FAB80")
        }
        #expect(missing.isEmpty, "codes with no single-diagnostic golden case: \(missing)")
    }

    @Test func diagnosticsMarkdownIsGeneratedFromTheCatalogue() throws {
        let expected = DiagnosticCatalogue.fabricc.markdown(examples: Self.goldenExamples())
        let path = PackageRoot.url.appendingPathComponent("docs/diagnostics.md")
        let actual = try? String(contentsOf: path, encoding: .utf8)
        if actual != expected, ProcessInfo.processInfo.environment["FABRICC_UPDATE_GOLDEN"] == "1" {
            try expected.write(to: path, atomically: true, encoding: .utf8)
            Issue.record("rewrote docs/diagnostics.md; review the diff and run again")
            return
        }
        #expect(
            actual == expected,
            "docs/diagnostics.md is stale: run FABRICC_UPDATE_GOLDEN=1 swift test --filter DocsTests")
    }

    /// The fenced blocks of `docs/backends.md` between `heading` and the
    /// section's next `### ` heading.
    static func blocks(_ text: String, after heading: String) -> [String] {
        guard let start = text.range(of: "\n" + heading + "\n") else { return [] }
        var blocks: [String] = []
        var current: [Substring]?
        for line in text[start.upperBound...].split(separator: "\n", omittingEmptySubsequences: false) {
            if current == nil, line.hasPrefix("### ") { break }
            if line.hasPrefix("```") {
                if let lines = current {
                    blocks.append(lines.map { $0 + "\n" }.joined())
                    current = nil
                } else {
                    current = []
                }
            } else {
                current?.append(line)
            }
        }
        return blocks
    }

    /// The outputs shown in `docs/backends.md` are the golden files, byte for byte.
    @Test func backendExamplesAreTheGoldenFiles() throws {
        let docs = try Self.read("docs/backends.md")
        let s5 = "Golden/examples/s5-ip-fabric/expected/junos/mx1."
        let junos = Self.blocks(docs, after: "### S5's border router in all three forms")
        #expect(junos.count == 3)
        if junos.count == 3 {
            #expect(junos[0] == (try Self.read(s5 + "conf")), "the text form")
            #expect(junos[1] == (try Self.read(s5 + "set")), "the set form")
            let xml = try Self.read(s5 + "xml")
            // The group, cut out of the document and unindented.
            let lines = junos[2].split(separator: "\n").map(String.init)
            let indent =
                xml.components(separatedBy: "\n").first { $0.hasSuffix(lines[0]) }.map { $0.count - lines[0].count }
                ?? 0
            let indented = lines.map { String(repeating: " ", count: indent) + $0 }.joined(separator: "\n")
            #expect(lines.first == #"<group replace="replace">"# && xml.contains(indented), "the XML group")
        }
        let antrea = Self.blocks(docs, after: "### S3's IPPools in both API versions")
        #expect(
            antrea == [
                try Self.read("Golden/examples/s3-antrea-ipam/expected/antrea/ippools.yaml"),
                try Self.read("Golden/build/antrea-s3-v1alpha2/expected/antrea/ippools.yaml"),
                try Self.read("Golden/build/antrea-s3-v1alpha2/expected/antrea/pod-annotations.yaml"),
            ])
        let examples = docs.components(separatedBy: "\n### An example\n")
        #expect(examples.count == 3, "one example section per script backend")
        let esxi = Self.blocks(docs, after: "### An example")
        #expect(esxi == [try Self.read("Golden/build/esxi-several-vswitches/expected/esxi/esx-b.sh")])
        let ovs = examples.count == 3 ? Self.blocks("\n### An example\n" + examples[2], after: "### An example") : []
        #expect(ovs == [try Self.read("Golden/examples/s4-nested-openstack/expected/ovs/compute1.sh")])
    }

    @Test func languageReferenceMentionsEveryKeyword() throws {
        let text = try Self.read("docs/language.md")
        for block in LanguageSchema.blocks {
            #expect(text.contains("`\(block.keyword)`"), "docs/language.md does not document block `\(block.keyword)`")
            for attribute in block.attributes {
                #expect(
                    text.contains("`\(attribute.name)`"),
                    "docs/language.md does not document `\(attribute.name)` of `\(block.keyword)`")
            }
        }
        for word in LanguageSchema.reservedWords {
            #expect(text.contains("`\(word)`"))
        }
    }

    /// The fenced `fab` blocks of a Markdown file: ```` ```fab ```` and, for
    /// the few that show layouts the language accepts, ```` ```fab layout ````.
    static func fabBlocks(_ text: String) -> [(layout: Bool, text: String)] {
        var blocks: [(Bool, String)] = []
        var current: (Bool, [Substring])?
        for line in text.split(separator: "\n", omittingEmptySubsequences: false) {
            if let open = current {
                if line == "```" {
                    blocks.append((open.0, open.1.map { $0 + "\n" }.joined()))
                    current = nil
                } else {
                    current?.1.append(line)
                }
            } else if line == "```fab" || line == "```fab layout" {
                current = (line == "```fab layout", [])
            }
        }
        return blocks
    }

    /// The Markdown files whose `fab` examples are checked.
    static let markdownWithExamples = ["README.md", "CONTRIBUTING.md", "docs/language.md", "docs/backends.md"]

    /// Every `fab` example of the docs is laid out by `fabricc fmt`, except
    /// those marked `fab layout`, which show the other layouts it accepts.
    @Test func docsExamplesAreFormatted() throws {
        var formatted = 0
        for file in Self.markdownWithExamples {
            for (n, block) in Self.fabBlocks(try Self.read(file)).enumerated() where !block.layout {
                var map = SourceMap()
                let id = map.add(displayPath: "example.fab", bytes: Array(block.text.utf8))
                let result = Formatter.format(map[id]).text
                #expect(
                    result == block.text,
                    "example \(n + 1) of \(file) is not formatted; `fabricc fmt` writes:\n\(result ?? "(refused)")")
                formatted += 1
            }
        }
        #expect(formatted >= 20)
    }

    /// Every fenced `fab` example in the docs must pass `fabricc check`
    /// (exit 0: no errors; a focused example may leave a warning).
    @Test func languageExamplesCheckClean() throws {
        let blocks = Self.fabBlocks(try Self.read("docs/language.md")).map(\.text)
        #expect(blocks.count >= 10)
        for (n, block) in blocks.enumerated() {
            let provider = MemorySourceProvider(
                files: ["/doc/example.fab": block, "/doc/hosts.fab": "host kvm9 { }\n"], workingDirectory: "/doc")
            let result = FabricDriverCheck.run(provider: provider)
            #expect(!result.contains(": error["), "example \(n + 1) in docs/language.md:\n\(block)\n\(result)")
        }
    }
}
