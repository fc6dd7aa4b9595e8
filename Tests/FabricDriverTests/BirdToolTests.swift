import FabricTestSupport
import Foundation
import Testing

/// The real BIRD judges the BIRD backend's output (`bird2`, installed by
/// `scripts/test`).
@Suite(.serialized) struct BirdToolTests {
    static let bird = "/usr/sbin/bird"
    static var required: Bool { ToolRunner.toolsRequired }
    static var haveBird: Bool { ToolRunner.available(bird) }
    static var canRunLive: Bool {
        required
            || (haveBird && getuid() == 0
                && ["/usr/sbin/ip", "/sbin/ip", "/usr/bin/ip", "/bin/ip"].contains {
                    FileManager.default.isExecutableFile(atPath: $0)
                }
                // The data plane is proved with ping (iputils-ping).
                && ["/usr/bin/ping", "/bin/ping"].contains { FileManager.default.isExecutableFile(atPath: $0) })
    }

    static func run(_ executable: String, _ arguments: [String]) throws -> (ok: Bool, output: String) {
        try ToolRunner.run(executable, arguments)
    }

    /// `bird -p -c FILE`: parse the config and exit.
    static func parse(_ file: URL) throws -> (ok: Bool, output: String) {
        try run(bird, ["-p", "-c", file.path])
    }

    static func goldenConfigs() -> [URL] {
        let root = PackageRoot.url.appendingPathComponent("Golden")
        let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        return (walker?.compactMap { $0 as? URL } ?? [])
            .filter {
                $0.pathExtension == "conf" && $0.deletingLastPathComponent().lastPathComponent == "bird"
                    && $0.path.contains("/expected/")
                    && !$0.path.contains("/expected/secrets/")
            }
            .sorted { $0.path < $1.path }
    }

    @Test(.enabled(if: haveBird, "bird2 is not installed: run scripts/test"))
    func birdAcceptsEveryGoldenConfig() throws {
        let configs = Self.goldenConfigs()
        #expect(configs.count >= 40)
        for file in configs {
            let (ok, output) = try Self.parseDeployed(file)
            #expect(ok, "bird -p rejects \(file.path): \(output)")
        }
    }

    /// `bird -p` on a golden config as it is deployed: in a folder of its
    /// own with its secrets file (`expected/secrets/bird/`) beside it.
    static func parseDeployed(_ file: URL) throws -> (ok: Bool, output: String) {
        let device = file.deletingPathExtension().lastPathComponent
        let secrets = file.deletingLastPathComponent().deletingLastPathComponent()
            .appendingPathComponent("secrets/bird/\(device).secrets.conf")
        var files = ["bird.conf": try String(contentsOf: file, encoding: .utf8)]
        if let text = try? String(contentsOf: secrets, encoding: .utf8) { files["\(device).secrets.conf"] = text }
        var result: (ok: Bool, output: String) = (false, "")
        try withFiles(files) { dir in result = try parse(dir.appendingPathComponent("bird.conf")) }
        return result
    }

    /// A config BIRD rejects must make this test fail, or the test above proves nothing.
    @Test(.enabled(if: haveBird, "bird2 is not installed: run scripts/test"))
    func birdRejectsABrokenConfig() throws {
        try withFiles([
            "bad.conf":
                "router id 1.2.3.4;\nprotocol bgp x { local as 1; neighbor 10.0.0.1 as 2; ipv4 { import all; export none; }; description \"a\"b\"; }\n"
        ]) { dir in
            let (ok, _) = try Self.parse(dir.appendingPathComponent("bad.conf"))
            #expect(!ok)
        }
    }

    /// Two reflectors and three hypervisors, each BIRD in its own network
    /// namespace, sessions Established, rogue routes rejected; see
    /// Tests/live/bird-live.sh. Needs root (network namespaces).
    @Test(.enabled(if: canRunLive, "needs root, iproute2, iputils-ping and bird2"), .timeLimit(.minutes(3)))
    func liveSessions() throws {
        let (ok, output) = try Self.run(
            "/bin/bash", [PackageRoot.url.appendingPathComponent("Tests/live/bird-live.sh").path, CLI.executable.path])
        #expect(ok, "bird-live.sh failed:\n\(output)")
        #expect(output.contains("bird-live: OK"), "\(output)")
    }

    /// S2: a node and two leaf stand-ins; the node takes only the default,
    /// holds its pod block as a blackhole, and drops what no pod answers
    /// (where, without the blackhole, the packet loops); see
    /// Tests/live/bird-live-s2.sh.
    @Test(.enabled(if: canRunLive, "needs root, iproute2, iputils-ping and bird2"), .timeLimit(.minutes(2)))
    func liveLeafNode() throws {
        let (ok, output) = try Self.run(
            "/bin/bash",
            [PackageRoot.url.appendingPathComponent("Tests/live/bird-live-s2.sh").path, CLI.executable.path])
        #expect(ok, "bird-live-s2.sh failed:\n\(output)")
        #expect(output.contains("bird-live-s2: OK"), "\(output)")
    }
}
