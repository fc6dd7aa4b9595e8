import FabricDriver
import Foundation
import Testing

/// Include paths resolved as the file system resolves them.
@Suite struct IncludePathTests {
    @Test func dotDotAfterASymlinkIsPhysical() throws {
        let fm = FileManager.default
        let base = fm.temporaryDirectory.appendingPathComponent("fabricc-dotdot-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: base) }
        try fm.createDirectory(at: base.appendingPathComponent("deep/inner"), withIntermediateDirectories: true)
        try fm.createDirectory(at: base.appendingPathComponent("sub"), withIntermediateDirectories: true)
        try fm.createSymbolicLink(
            at: base.appendingPathComponent("sub/link"), withDestinationURL: base.appendingPathComponent("deep/inner"))
        try "vlan deep { id 5 }\n".write(
            to: base.appendingPathComponent("deep/x.fab"), atomically: true, encoding: .utf8)
        try "vlan lexical { id 6 }\n".write(
            to: base.appendingPathComponent("sub/x.fab"), atomically: true, encoding: .utf8)
        try "include \"sub/link/../x.fab\"\n".write(
            to: base.appendingPathComponent("main.fab"), atomically: true, encoding: .utf8)
        let r = Driver.check(base.appendingPathComponent("main.fab").path)
        // The file a shell would read: deep/x.fab.
        #expect(r.diagnostics.map(\.message) == ["vlan `deep` is never used"])
    }
}
