import Foundation
import Testing

@Suite struct GoldenTests {
    static let update = ProcessInfo.processInfo.environment["FABRICC_UPDATE_GOLDEN"] == "1"

    @Test(arguments: (GoldenCase.all() + GoldenCase.examples()).map(\.name))
    func golden(_ name: String) {
        let c = GoldenCase.named(name)
        for failure in GoldenRunner.run(c, update: Self.update) {
            Issue.record(Comment(rawValue: failure))
        }
    }

    @Test func theSuiteHasItsCases() {
        let names = GoldenCase.all().map(\.name)
        #expect(names.filter { $0.hasPrefix("syntax/") }.count >= 30)
        #expect(names.filter { $0.hasPrefix("parse/") }.count >= 14)
    }

    /// Update mode rewrites the expected files and still fails; the next run
    /// without it passes.
    @Test func updateModeRewritesAndStillFails() throws {
        let fm = FileManager.default
        let dir = fm.temporaryDirectory.appendingPathComponent("fabricc-golden-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: dir) }
        try fm.createDirectory(at: dir, withIntermediateDirectories: true)
        try "host a { mtu 9000 }\n".write(to: dir.appendingPathComponent("main.fab"), atomically: true, encoding: .utf8)
        let c = GoldenCase(directory: dir, name: "tmp")

        let first = GoldenRunner.run(c, update: false)
        #expect(first.contains { $0.contains("produced expected/ast.txt, which is not committed") })
        let updated = GoldenRunner.run(c, update: true)
        #expect(!updated.isEmpty, "update mode must still fail")
        #expect(GoldenRunner.run(c, update: false).isEmpty)

        // A diagnostic now appears: a readable diff, then update, then green.
        try "host a { mtu 9000 }\nhots b { }\n".write(
            to: dir.appendingPathComponent("main.fab"), atomically: true, encoding: .utf8)
        let broken = GoldenRunner.run(c, update: false)
        #expect(broken.contains { $0.contains("+tmp") || $0.contains("+main.fab:2:1: error[FAB2001]") })
        #expect(broken.contains { $0.contains("is committed but fabricc no longer produces it") })
        _ = GoldenRunner.run(c, update: true)
        #expect(GoldenRunner.run(c, update: false).isEmpty)
        #expect(!fm.fileExists(atPath: dir.appendingPathComponent("expected").path))
    }
}
