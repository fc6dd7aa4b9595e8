import Foundation
import Testing

@testable import FabricDiagnostics

@Suite struct RendererTests {
    let dc1 = """
        fabric dc1 { asn 65203 }
        pool edge {
          prefix 203.0.113.128/25
        }
        pool public {
          prefix 203.0.113.0/24
        }

        """

    func sources() -> (SourceMap, FileID) {
        var map = SourceMap()
        let id = map.add(displayPath: "dc1.fab", bytes: Array(dc1.utf8))
        return (map, id)
    }

    /// The span of the `occurrence`-th appearance of `needle` in `text`.
    func span(of needle: String, in text: String, file: FileID, occurrence: Int = 1) -> Span {
        var searchStart = text.startIndex
        var found = text.range(of: needle)!
        for _ in 0..<occurrence {
            found = text.range(of: needle, range: searchStart..<text.endIndex)!
            searchStart = found.upperBound
        }
        let start = text.utf8.distance(from: text.startIndex, to: found.lowerBound)
        return Span(file: file, start: UInt32(start), end: UInt32(start + needle.utf8.count))
    }

    static let sample = DiagnosticCode("FAB9999", .error, "sample", "for tests")

    @Test func richMatchesTheBriefShape() {
        let (map, id) = sources()
        let d = Diagnostic(
            Self.sample, at: span(of: "203.0.113.0/24", in: dc1, file: id), "pool `public` overlaps pool `edge`"
        )
        .labelled("overlaps 203.0.113.128/25")
        .label(span(of: "203.0.113.128/25", in: dc1, file: id), "`edge` declared here")
        .help("give each pool its own range")
        let text = DiagnosticRenderer(format: .rich).render([d], sources: map)
        #expect(
            text == """
                error[FAB9999]: pool `public` overlaps pool `edge`
                 --> dc1.fab:6:10
                  |
                3 |   prefix 203.0.113.128/25
                  |          ---------------- `edge` declared here
                ...
                6 |   prefix 203.0.113.0/24
                  |          ^^^^^^^^^^^^^^ overlaps 203.0.113.128/25
                  = help: give each pool its own range

                error: check failed: 1 error

                """)
    }

    @Test func shortForm() {
        let (map, id) = sources()
        let d = Diagnostic(
            Self.sample, at: span(of: "203.0.113.0/24", in: dc1, file: id), "pool `public` overlaps pool `edge`")
        #expect(
            DiagnosticRenderer(format: .short).render([d], sources: map)
                == "dc1.fab:6:10: error[FAB9999]: pool `public` overlaps pool `edge`\n")
    }

    @Test func warningsAndNotesAndSummary() {
        let (map, id) = sources()
        let w = Diagnostic(
            DiagnosticCode("FAB9998", .warning, "w", "w"), at: Span(file: id, start: 0, end: 6), "unused"
        )
        .note("first note").note("second note")
        let text = DiagnosticRenderer(format: .rich).render([w], sources: map)
        #expect(
            text == """
                warning[FAB9998]: unused
                 --> dc1.fab:1:1
                  |
                1 | fabric dc1 { asn 65203 }
                  | ^^^^^^
                  = note: first note
                  = note: second note

                warning: 1 warning

                """)
    }

    @Test func labelsInOtherFilesAndIncludeChains() {
        var map = SourceMap()
        let main = map.add(displayPath: "dc1.fab", bytes: Array("include \"hosts.fab\"\nhost a { }\n".utf8))
        let hosts = map.add(
            displayPath: "hosts.fab", bytes: Array("host a { }\n".utf8),
            includedFrom: Span(file: main, start: 8, end: 19))
        let d = Diagnostic(Self.sample, at: Span(file: hosts, start: 5, end: 6), "duplicate host `a`")
            .labelled("declared again")
            .label(Span(file: main, start: 25, end: 26), "first declared here")
        let text = DiagnosticRenderer(format: .rich).render([d], sources: map)
        #expect(
            text == """
                error[FAB9999]: duplicate host `a`
                 --> hosts.fab:1:6
                  |
                1 | host a { }
                  |      ^ declared again
                 ::: dc1.fab:2:6
                  |
                2 | host a { }
                  |      - first declared here
                  = note: in file included from dc1.fab:1:9

                error: check failed: 1 error

                """)
    }

    @Test func tabsAndWideLinesKeepMarksAligned() {
        var map = SourceMap()
        let source = "\thost \"café\" { x }\n"
        let id = map.add(displayPath: "t.fab", bytes: Array(source.utf8))
        // `x` comes after a tab and a two-byte é: column 16, not its byte offset.
        let d = Diagnostic(Self.sample, at: span(of: "x", in: source, file: id), "bad")
        let text = DiagnosticRenderer(format: .rich).render([d], sources: map)
        #expect(text.contains(" --> t.fab:1:16\n"))
        #expect(text.contains("1 | \thost \"café\" { x }\n  | \t              ^\n"))
    }

    @Test func controlCharactersNeverReachTheTerminal() {
        var map = SourceMap()
        let id = map.add(displayPath: "t.fab", bytes: [0x61, 0x1B, 0x5B, 0x32, 0x4A, 0x62, 0x0A])
        let d = Diagnostic(Self.sample, at: Span(file: id, start: 1, end: 2), "escape")
        let text = DiagnosticRenderer(format: .rich).render([d], sources: map)
        #expect(!text.contains("\u{1B}"))
        #expect(text.contains("a\u{FFFD}[2Jb"))
    }

    @Test func colourOnlyWhenAsked() {
        let (map, id) = sources()
        let d = Diagnostic(Self.sample, at: Span(file: id, start: 0, end: 6), "x")
        #expect(!DiagnosticRenderer(format: .rich, colors: false).render([d], sources: map).contains("\u{1B}["))
        let coloured = DiagnosticRenderer(format: .rich, colors: true).render([d], sources: map)
        #expect(coloured.contains("\u{1B}[1;31merror[FAB9999]\u{1B}[0m"))
    }

    @Test func emptyFileSkipsTheSnippet() {
        var map = SourceMap()
        let id = map.add(displayPath: "missing.fab", bytes: [])
        let d = Diagnostic(
            .fileUnreadable, at: Span(file: id, start: 0, end: 0), "cannot read `missing.fab`: no such file")
        #expect(
            DiagnosticRenderer(format: .rich).render([d], sources: map) == """
                error[FAB0001]: cannot read `missing.fab`: no such file
                 --> missing.fab:1:1

                error: check failed: 1 error

                """)
    }

    @Test func jsonIsStableAndComplete() throws {
        let (map, id) = sources()
        let d = Diagnostic(Self.sample, at: span(of: "203.0.113.0/24", in: dc1, file: id), "overlap")
            .labelled("here").label(span(of: "203.0.113.128/25", in: dc1, file: id), "there").note("n").help("h")
        let text = DiagnosticRenderer(format: .json).render([d], sources: map)
        let object = try #require(try JSONSerialization.jsonObject(with: Data(text.utf8)) as? [String: Any])
        #expect(object["errors"] as? Int == 1)
        let first = try #require((object["diagnostics"] as? [[String: Any]])?.first)
        #expect(first["code"] as? String == "FAB9999")
        let span = try #require(first["span"] as? [String: Any])
        #expect(span["line"] as? Int == 6)
        #expect(span["column"] as? Int == 10)
        #expect(span["endColumn"] as? Int == 24)
        #expect((first["labels"] as? [[String: Any]])?.first?["message"] as? String == "there")
        #expect(text == DiagnosticRenderer(format: .json).render([d], sources: map))
        // Keys are sorted, so the bytes do not depend on hashing.
        #expect(text.range(of: "\"code\"")!.lowerBound < text.range(of: "\"help\"")!.lowerBound)
    }

    @Test func omittedErrorsAreCounted() {
        let (map, id) = sources()
        let d = Diagnostic(Self.sample, at: Span(file: id, start: 0, end: 1), "x")
        let text = DiagnosticRenderer(format: .rich).render([d], sources: map, omittedErrors: 4)
        #expect(
            text.hasSuffix(
                "note: 4 more errors not shown; use --error-limit 0 to see all\nerror: check failed: 5 errors\n"))
    }
}
