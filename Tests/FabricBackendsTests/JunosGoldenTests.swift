import FabricTestSupport
import Foundation
import Testing

/// Every Junos configuration in the golden trees, judged form by form:
/// the text and `set` forms read back to the same statements as the XML,
/// and `xmllint` (Debian `libxml2-utils`, installed by `scripts/test`)
/// finds the XML well-formed.
struct JunosGoldenTests {
    static let xmllint = "/usr/bin/xmllint"
    static var haveXmllint: Bool { ToolRunner.available(xmllint) }

    /// `…/expected/junos/<router>` without the extension.
    static func goldenRouters() -> [URL] {
        let walker = FileManager.default.enumerator(
            at: PackageRoot.url.appendingPathComponent("Golden"), includingPropertiesForKeys: nil)
        return (walker?.compactMap { $0 as? URL } ?? [])
            .filter {
                $0.pathExtension == "xml" && $0.deletingLastPathComponent().lastPathComponent == "junos"
                    && $0.path.contains("/expected/")
            }
            .map { $0.deletingPathExtension() }
            .sorted { $0.path < $1.path }
    }

    static func read(_ base: URL, _ ext: String) throws -> String {
        try String(contentsOf: base.appendingPathExtension(ext), encoding: .utf8)
    }

    @Test func everyGoldenRouterSaysTheSameInEveryForm() throws {
        let routers = Self.goldenRouters()
        #expect(routers.count >= 10)
        for base in routers {
            let text = try JunosStatements.text(Self.read(base, "conf"))
            let set = try JunosStatements.set(Self.read(base, "set"))
            let xml = try JunosStatements.xml(Self.read(base, "xml"))
            #expect(text == xml, "\(base.path).conf and .xml differ")
            #expect(set == xml, "\(base.path).set and .xml differ")
            #expect(!xml.statements.isEmpty)
        }
    }

    @Test(.enabled(if: haveXmllint, "xmllint is not installed: run scripts/test"))
    func xmllintFindsEveryGoldenXMLWellFormed() throws {
        for base in Self.goldenRouters() {
            let (ok, output) = try ToolRunner.run(Self.xmllint, ["--noout", base.appendingPathExtension("xml").path])
            #expect(ok, "\(base.path).xml: \(output)")
        }
    }

    /// xmllint must fail on broken XML, or the test above proves nothing.
    @Test(.enabled(if: haveXmllint, "xmllint is not installed: run scripts/test"))
    func xmllintRejectsBrokenXML() throws {
        let file = FileManager.default.temporaryDirectory.appendingPathComponent("fabricc-broken-\(getpid()).xml")
        try "<load-configuration><configuration><a></configuration></load-configuration>\n".write(
            to: file, atomically: true, encoding: .utf8)
        defer { try? FileManager.default.removeItem(at: file) }
        let (ok, _) = try ToolRunner.run(Self.xmllint, ["--noout", file.path])
        #expect(!ok)
    }
}
