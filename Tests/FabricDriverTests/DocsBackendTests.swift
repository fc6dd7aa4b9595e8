import FabricBase
import FabricDriver
import FabricSema
import FabricTestSupport
import Foundation
import Testing

@testable import FabricBackends

/// The docs backend's handbook: GitHub-flavoured Markdown that a Markdown
/// parser reads as intended, figures that are the IR's, and user text that
/// cannot become markup.
@Suite struct DocsBackendTests {
    static let python = PackageRoot.url.appendingPathComponent(".build/test-tools/bin/python3").path

    static func markdownFiles() -> [String] {
        let root = PackageRoot.url.appendingPathComponent("Golden/examples")
        var out: [String] = []
        for case let url as URL in FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)!
        where url.pathExtension == "md" && url.path.contains("/expected/docs/") {
            out.append(url.path)
        }
        return out.sorted()
    }

    @Test(.enabled(if: ToolRunner.available(python), "markdown-it-py is not installed: run scripts/test"))
    func markdownItReadsEveryTableAndLink() throws {
        let files = Self.markdownFiles()
        #expect(files.count > 20)
        let script = PackageRoot.url.appendingPathComponent("Tests/docs/check-markdown.py").path
        let (ok, output) = try ToolRunner.run(Self.python, [script] + files)
        #expect(ok, "\(output)")
    }

    /// Size, used and free of every pool, as pools.md shows them, are the
    /// IR's: its allocatable addresses and the members holding one.
    @Test func poolFiguresAreTheIRs() throws {
        let dir = PackageRoot.url.appendingPathComponent("examples")
        for file in try FileManager.default.contentsOfDirectory(atPath: dir.path) where file.hasSuffix(".fab") {
            let result = Driver.build(dir.appendingPathComponent(file).path, options: BuildOptions(backends: ["docs"]))
            let ir = try #require(result.check.ir)
            let pools = try #require(result.files.first { $0.path == "docs/pools.md" }).contents
            for p in ir.pools {
                let ranges = p.allocatable
                let size = ranges.reduce(UInt128(0)) { $0 + $1.count }
                let addresses =
                    ir.hosts.flatMap(\.vms).filter { $0.pool == p.name }.compactMap(\.ip?.value)
                    + ir.pods.flatMap(\.ips).map(\.value)
                let used = addresses.filter { a in ranges.contains { $0.contains(a) } }.count
                let row = try #require(
                    pools.split(separator: "\n").first { $0.hasPrefix("| \(Markdown.text(p.name)) |") },
                    "\(file): no row for \(p.name)")
                let cells = row.split(separator: "|").map { $0.trimmingCharacters(in: .whitespaces) }
                #expect(
                    cells[5] == "\(size)" && cells[6] == "\(used)" && cells[7] == "\(size - UInt128(used))",
                    "\(file): \(row)")
            }
        }
    }

    @Test func userTextCannotBecomeMarkup() {
        let hostile = "a|b *c* _d_ `e` [f](g) <script>x</script> &amp; # h \\ ~i~\nj"
        let escaped = Markdown.text(hostile)
        #expect(
            escaped
                == "a\\|b \\*c\\* \\_d\\_ \\`e\\` \\[f\\](g) \\<script\\>x\\</script\\> \\&amp; \\# h \\\\ \\~i\\~ j")
        #expect(Markdown.link("a]b", "devices/x y.md") == "[a\\]b](devices/x%20y.md)")
        #expect(Markdown.comment("a-->b\n<!-- c ---") == "<!-- a- ->b <!- - c - - -  -->")
        let table = Markdown.table(["A", "B"], [[Markdown.text("x|y"), ""]])
        #expect(table == "| A | B |\n| --- | --- |\n| x\\|y |   |\n")
    }
}
