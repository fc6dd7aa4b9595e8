import FabricDiagnostics
import FabricTestSupport
import Foundation
import Testing

@testable import FabricSyntax

/// `fabricc fmt` changes layout only: for every example, every golden input
/// and a few hundred generated intents, the syntax tree of the formatted
/// text is the original's (positions aside), every comment survives in
/// order, and formatting again changes nothing.
@Suite struct FormatterTests {

    static func source(_ text: String) -> SourceFile {
        var map = SourceMap()
        let id = map.add(displayPath: "main.fab", bytes: Array(text.utf8))
        return map[id]
    }

    /// The tree without positions.
    static func tree(_ text: String) -> String {
        var map = SourceMap()
        let id = map.add(displayPath: "main.fab", bytes: Array(text.utf8))
        let (syntax, _) = Parser.parse(map[id])
        return ASTDump.render([syntax], sources: map).split(separator: "\n").map {
            String($0.replacing(/\s\d+:\d+-\d+:\d+$/, with: ""))
        }.joined(separator: "\n")
    }

    static func comments(_ text: String) -> [String] {
        let bytes = Array(text.utf8)
        return Lexer.tokenizeKeepingComments(bytes, file: FileID(0)).comments.map {
            let c = String(decoding: bytes[$0], as: UTF8.self)
            return c.hasPrefix("/*") ? c : c.trimmingCharacters(in: .whitespaces)
        }
    }

    /// Problems with formatting `text`, or none.
    static func problems(_ text: String) -> [String] {
        let (formatted, diagnostics) = Formatter.format(source(text))
        guard let formatted else {
            return diagnostics.contains { $0.severity == .error } ? [] : ["refused a file without errors"]
        }
        var out: [String] = []
        if tree(formatted) != tree(text) { out.append("the tree changed:\n\(formatted)") }
        if comments(formatted) != comments(text) {
            out.append("comments changed: \(comments(text)) → \(comments(formatted))")
        }
        if Formatter.format(source(formatted)).text != formatted {
            out.append("not idempotent:\n\(formatted)\n---\n\(Formatter.format(source(formatted)).text ?? "refused")")
        }
        // Comments keep their text, tabs and all; outside them, no tab and
        // no trailing space.
        var outside = formatted
        for comment in comments(formatted).sorted(by: { $0.count > $1.count }) {
            outside = outside.replacingOccurrences(of: comment, with: "#")
        }
        if outside.contains("\t")
            || outside.split(separator: "\n", omittingEmptySubsequences: false).contains(where: { $0.hasSuffix(" ") })
        {
            out.append("tabs or trailing spaces:\n\(outside)")
        }
        return out
    }

    static func inputs() -> [URL] {
        var out: [URL] = []
        for folder in ["examples", "Golden"] {
            let walker = FileManager.default.enumerator(
                at: PackageRoot.url.appendingPathComponent(folder), includingPropertiesForKeys: nil)
            out += (walker?.compactMap { $0 as? URL } ?? []).filter { $0.pathExtension == "fab" }
        }
        return out.sorted { $0.path < $1.path }
    }

    @Test func everyExampleAndGoldenInputKeepsItsTree() throws {
        let files = Self.inputs()
        #expect(files.count > 300)
        var formattedCount = 0
        for file in files {
            let data = try Data(contentsOf: file)
            guard let text = String(data: data, encoding: .utf8) else { continue }  // the invalid-UTF-8 cases
            for problem in Self.problems(text) { Issue.record("\(file.path): \(problem)") }
            if Formatter.format(Self.source(text)).text != nil { formattedCount += 1 }
        }
        #expect(formattedCount > 250, "most inputs parse and are formatted")
    }

    @Test func theLayoutIsTheDocumentedOne() {
        let text = """
            # top
            fabric dc1 { asn 65203; gateway 10.0.0.1 }   # trailing


            host kvm1
            {
              address 10.0.0.20+i ; reflectors rr1 ,rr2,
                rr3
              vm "web${i}" { ip 203.0.113.9 + -1 }
              linux-bridge br0 { }
              /* block */ mtu 9000
            }
            for i in 1 .. 3 { pool "p${i}" { prefix 10.0.0.0/24 } }
            """
        let want = """
            # top
            fabric dc1 {
                asn 65203
                gateway 10.0.0.1
            }  # trailing

            host kvm1 {
                address 10.0.0.20 + i
                reflectors rr1, rr2, rr3
                vm "web${i}" {
                    ip 203.0.113.9 + -1
                }
                linux-bridge br0 { }
                /* block */
                mtu 9000
            }
            for i in 1..3 {
                pool "p${i}" {
                    prefix 10.0.0.0/24
                }
            }

            """
        #expect(Formatter.format(Self.source(text)).text == want)
        #expect(Self.problems(text) == [])
    }

    /// Trailing comments of consecutive lines share a column, as gofmt
    /// lines them up; a blank line or a line without one ends the run.
    @Test func trailingCommentsOfConsecutiveLinesAlign() {
        let text = """
            fabric dc1 {
                asn 65203 # the AS
                gateway 10.0.0.1        # anycast
                mtu 1500 # overlay
                import-limit 1000
                hold-time 90s   # alone

                keepalive 30s # after a blank line
                underlay-mtu 9216 # with it
            }

            """
        let want = """
            fabric dc1 {
                asn 65203         # the AS
                gateway 10.0.0.1  # anycast
                mtu 1500          # overlay
                import-limit 1000
                hold-time 90s  # alone

                keepalive 30s      # after a blank line
                underlay-mtu 9216  # with it
            }

            """
        #expect(Formatter.format(Self.source(text)).text == want)
        #expect(Self.problems(text) == [])
        #expect(Formatter.format(Self.source(want)).text == want)
    }

    /// The shipped examples and the golden inputs are laid out by `fabricc
    /// fmt` itself. The `parse` and `syntax` golden groups are not: their
    /// point is the layouts and mistakes the lexer and parser meet.
    @Test func theShippedIntentsAreFormatted() throws {
        var files: [URL] = []
        for folder in ["examples", "Golden/build", "Golden/semantic", "Golden/semantic-ok"] {
            let root = PackageRoot.url.appendingPathComponent(folder)
            files +=
                (FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL }
                ?? [])
                .filter { $0.pathExtension == "fab" && !$0.pathComponents.contains("expected") }
        }
        #expect(files.count >= 250)
        for file in files {
            let text = try String(contentsOf: file, encoding: .utf8)
            #expect(Formatter.format(Self.source(text)).text == text, "\(file.path) is not formatted: run fabricc fmt")
        }
    }

    /// Found by review: a comment right after a minus.
    @Test func aCommentAfterAnOperatorIsStable() {
        for text in [
            "host a { mtu 1 -/*c*/ 1 }\n", "host a { mtu 1 - /*c*/1 }\n", "host a { mtu -/*c*/1 }\n",
            "host a { mtu (1)/*c*/+2 }\n",
        ] {
            #expect(Self.problems(text) == [], "\(text)")
        }
    }

    @Test func aFileWithErrorsIsNotFormatted() {
        let (text, diagnostics) = Formatter.format(Self.source("host kvm1 {\n  address 10.0.0.1\n"))
        #expect(text == nil)
        #expect(diagnostics.contains { $0.code.id == "FAB1021" })
    }

    /// Generated intents with random layout: `;` or line breaks, Allman
    /// braces, blank lines, comments everywhere a comment may go.
    @Test func generatedIntentsKeepTheirTree() {
        var rng = SplitMix64(state: 0xF0_4A7)
        var failures = 0
        var parsed = 0
        for n in 0..<300 {
            let text = Self.generate(&rng)
            if Self.parses(text) { parsed += 1 }
            let problems = Self.problems(text)
            if !problems.isEmpty, failures < 5 {
                failures += 1
                Issue.record("case \(n):\n\(text)\n\(problems.joined(separator: "\n"))")
            }
            #expect(Formatter.format(Self.source(text)).text != nil || !Self.parses(text), "case \(n) was refused")
        }
        // The generator writes valid syntax, or the property says little.
        #expect(parsed >= 250, "only \(parsed) of 300 generated intents parse")
    }

    static func parses(_ text: String) -> Bool {
        !Parser.parse(source(text)).diagnostics.contains { $0.severity == .error }
    }

    static func generate(_ rng: inout SplitMix64) -> String {
        func pick<T>(_ xs: [T]) -> T { xs[Int(rng.next() % UInt64(xs.count))] }
        func chance(_ p: Double) -> Bool { Double(rng.next() % 1000) / 1000 < p }
        func space() -> String { pick([" ", " ", "  ", "\t", " "]) }
        func comment() -> String { pick(["# note", "// why", "/* block */", "# a, b; { }", "/* two\n   lines */"]) }
        func value() -> String {
            pick([
                "10.0.0.1", "203.0.113.0/24", "65000", "1.10", "\"text ${i}\"", "i + 1", "10.0.0.20 + i", "-5",
                "100..199",
                "rr1", "52:54:00:12:34:56", "30s", "(i * 2) - 1", "2001:db8::1", "i % 4",
            ])
        }
        func statement(_ depth: Int) -> String {
            let ind = String(repeating: pick(["  ", "    ", "\t"]), count: depth)
            var s =
                ind + pick(["asn", "address", "mtu", "members", "prefix", "description", "vlan-range", "tag"]) + space()
            var values = [value()]
            while chance(0.3) { values.append(value()) }
            s += values.map { $0 }.joined(separator: pick([", ", ",", " , ", ",\n" + ind + "  "]))
            if chance(0.2) { s += space() + comment() }
            return s
        }
        func block(_ depth: Int) -> String {
            let ind = String(repeating: "  ", count: depth)
            var s =
                ind + pick(["host", "pool", "fabric", "vm", "linux-bridge", "vswitch"]) + space()
                + pick(["kvm1", "\"web${i}\"", "p-1", ""])
            s += chance(0.2) ? "\n" + (chance(0.5) ? "\n" : "") + ind + "{" : space() + "{"
            let count = Int(rng.next() % 4)
            if count == 0 && chance(0.5) { return s + " }" }
            var body: [String] = []
            for _ in 0..<count { body.append(chance(0.25) && depth < 3 ? block(depth + 1) : statement(depth + 1)) }
            if chance(0.3) { body.insert(ind + "  " + comment(), at: Int(rng.next() % UInt64(body.count + 1))) }
            let oneLine =
                chance(0.3) && !body.joined().contains("\n") && !body.joined().contains("#")
                && !body.joined().contains("//")
            if oneLine {
                s +=
                    " "
                    + body.map { $0.trimmingCharacters(in: .whitespaces) }.joined(separator: pick(["; ", ";", " ; "]))
                    + pick([" }", "; }", "}"])
            } else {
                s += "\n" + body.joined(separator: pick(["\n", "\n\n", ";\n", "\n\n\n"])) + "\n" + ind + "}"
            }
            if chance(0.2) { s += space() + comment() }
            return s
        }
        var items: [String] = []
        for _ in 0..<(1 + Int(rng.next() % 5)) {
            if chance(0.2) {
                items.append("for i in 1..\(1 + rng.next() % 9) {\n" + block(1) + "\n}")
            } else if chance(0.15) {
                items.append(comment())
            } else {
                items.append(block(0))
            }
        }
        return items.joined(separator: pick(["\n", "\n\n", "; ", "\n\n\n"])) + (chance(0.5) ? "\n" : "")
    }
}
