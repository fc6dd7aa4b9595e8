import FabricDriver
import FabricSema
import FabricSyntax
import FabricTestSupport
import Foundation
import Testing
@testable import FabricBackends

/// Every ESXi script in the golden trees, judged by `shellcheck -s sh` and
/// `sh -n`, then run twice under `sh` against the suite's fake `esxcli`
/// (`Tests/esxi/fake-esxcli`): the host ends in the intended state, and the
/// second run adds nothing.
@Suite(.serialized) struct EsxiScriptTests {
    static let root = URL(fileURLWithPath: #filePath).deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
    static let shellcheck = "/usr/bin/shellcheck"
    static var haveShellcheck: Bool { ToolRunner.available(shellcheck) }

    /// Golden scripts with the intent they were built from.
    static func goldenScripts() -> [(script: URL, intent: URL)] {
        let golden = root.appendingPathComponent("Golden")
        let walker = FileManager.default.enumerator(at: golden, includingPropertiesForKeys: nil)
        return (walker?.compactMap { $0 as? URL } ?? [])
            .filter { $0.pathExtension == "sh" && $0.deletingLastPathComponent().lastPathComponent == "esxi" && $0.path.contains("/expected/") }
            .sorted { $0.path < $1.path }
            .map { script in
                let caseDir = script.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                let intent = caseDir.deletingLastPathComponent().lastPathComponent == "examples"
                    ? root.appendingPathComponent("examples/\(caseDir.lastPathComponent).fab")
                    : caseDir.appendingPathComponent("main.fab")
                return (script, intent)
            }
    }

    @Test(.enabled(if: haveShellcheck, "shellcheck is not installed: run scripts/test"))
    func shellcheckFindsNothingInEveryGoldenScript() throws {
        let scripts = Self.goldenScripts()
        #expect(scripts.count >= 6)
        for (script, _) in scripts {
            let (ok, output) = try ToolRunner.run(Self.shellcheck, ["-s", "sh", script.path])
            #expect(ok && output.isEmpty, "\(script.path): \(output)")
            let (parses, error) = try ToolRunner.run("/bin/sh", ["-n", script.path])
            #expect(parses, "\(script.path): \(error)")
        }
    }

    /// shellcheck must flag a bash-ism, or the test above proves nothing.
    @Test(.enabled(if: haveShellcheck, "shellcheck is not installed: run scripts/test"))
    func shellcheckFlagsABashism() throws {
        try withScratch { dir in
            let file = dir.appendingPathComponent("bad.sh")
            try "#!/bin/sh\nif [[ -n \"$1\" ]]; then echo $1; fi\n".write(to: file, atomically: true, encoding: .utf8)
            let (ok, _) = try ToolRunner.run(Self.shellcheck, ["-s", "sh", file.path])
            #expect(!ok)
        }
    }

    @Test func everyGoldenScriptReachesItsIntentAndIsRerunnable() throws {
        for (script, intent) in Self.goldenScripts() {
            let host = script.deletingPathExtension().lastPathComponent
            let ir = try #require(Driver.check(intent.path).ir, "\(intent.path) does not check")
            let hostIR = try #require(ir.hosts.first { $0.name == host })
            try withScratch { dir in
                let fake = try FakeESXi(in: dir)
                try fake.seedFreshHost()
                let first = try fake.run(script)
                #expect(first.ok, "\(script.path) failed: \(first.output)")
                let expected = Self.expectedState(hostIR)
                let actual = try fake.state()
                for (key, value) in expected {
                    #expect(actual[key] == value, "\(script.lastPathComponent): \(key) is \(actual[key] ?? "missing"), expected \(value)")
                }
                // Nothing beyond a fresh host and the intent.
                let objects = Set(actual.keys.map { $0.split(separator: "/").prefix(2).joined(separator: "/") })
                let allowed = Set(expected.keys.map { $0.split(separator: "/").prefix(2).joined(separator: "/") } + ["vswitch/vSwitch0", "portgroup/Management Network"])
                #expect(objects.isSubset(of: allowed), "\(objects.subtracting(allowed))")

                try fake.clearLog()
                let second = try fake.run(script)
                #expect(second.ok, "\(script.path) failed on the second run: \(second.output)")
                let calls = try fake.log()
                #expect(!calls.isEmpty)
                #expect(!calls.contains { $0.contains(" add ") || $0.hasSuffix(" add") }, "second run added: \(calls.filter { $0.contains(" add") })")
                #expect(try fake.state() == actual, "the second run changed the host")
            }
        }
    }

    /// What the fake's files must hold for `host`, as `kind/name/field` → value.
    static func expectedState(_ host: FabricSema.Host) -> [String: String] {
        var out: [String: String] = [:]
        func failover(_ f: Failover) -> String {
            "active=\(f.active.joined(separator: ",")) standby=\(f.standby.joined(separator: ",")) load-balancing=\(f.loadBalancing.map(EsxiScriptBuilder.loadBalancing) ?? "")"
        }
        func security(_ s: Security) -> String {
            func v(_ a: PolicyAction?) -> String { a.map { $0 == .accept ? "true" : "false" } ?? "" }
            return "promiscuous=\(v(s.promiscuous)) forged-transmits=\(v(s.forgedTransmits)) mac-change=\(v(s.macChanges))"
        }
        for vs in host.vswitches {
            let key = "vswitch/\(vs.name)/"
            if let mtu = vs.mtu { out[key + "mtu"] = "\(mtu)" }
            if let ports = vs.ports { out[key + "ports"] = "\(ports)" }
            out[key + "uplinks"] = Set(vs.uplinks + (vs.name == "vSwitch0" ? ["vmnic0"] : [])).sorted().joined(separator: "\n")
            out[key + "portgroups"] = Set(vs.portGroups.map { $0.name } + (vs.name == "vSwitch0" ? ["Management Network"] : [])).sorted().joined(separator: "\n")
            if let f = vs.failover { out[key + "failover"] = failover(f) }
            if let s = vs.security { out[key + "security"] = security(s) }
            for pg in vs.portGroups {
                let key = "portgroup/\(pg.name)/"
                out[key + "vswitch"] = vs.name
                out[key + "vlan"] = "\(pg.vlan)"
                if let f = pg.failover { out[key + "failover"] = failover(f) }
                if let s = pg.security { out[key + "security"] = security(s) }
            }
        }
        return out
    }

    @Test func dryRunPrintsEveryCommandAndRunsNone() throws {
        let script = try #require(Self.goldenScripts().first { $0.script.path.contains("s1-flat-l2") }?.script)
        try withScratch { dir in
            let fake = try FakeESXi(in: dir)
            let (ok, output) = try fake.run(script, arguments: ["--dry-run"])
            #expect(ok, "\(output)")
            #expect(try fake.log().isEmpty, "--dry-run called esxcli")
            #expect(output.contains("esxcli 'network' 'vswitch' 'standard' 'portgroup' 'set' '--portgroup-name=pg-data' '--vlan-id=3105'\n"))
            #expect(output.contains("'add' '--vswitch-name=vSwitch1'"))
            let usage = try fake.run(script, arguments: ["--force"])
            #expect(!usage.ok && usage.output.contains("usage:"))
        }
    }

    /// A failing esxcli stops the script with a message and status 1: here
    /// the port group exists already on another vSwitch.
    @Test func aFailingCommandStopsTheScript() throws {
        let script = try #require(Self.goldenScripts().first { $0.script.path.contains("s1-flat-l2") }?.script)
        try withScratch { dir in
            let fake = try FakeESXi(in: dir)
            try fake.seedFreshHost()
            _ = try fake.esxcli(["network", "vswitch", "standard", "portgroup", "add", "--portgroup-name=pg-data", "--vswitch-name=vSwitch0"])
            let (ok, output) = try fake.run(script)
            #expect(!ok)
            #expect(output.contains("failed; stopping"), "\(output)")
            #expect(!(try fake.log().contains { $0.contains("--vlan-id=3105") }), "ran on after the failure")
        }
    }

    /// The real `sh` reads every quoted value back unchanged.
    @Test func quotingSurvivesHostileValues() throws {
        let hostile = ["x'; reboot; '", "$(touch /tmp/fabricc-pwned)", "`id`", "a;b|c&d", "two\nlines", "-v", "'", "''", "\\", "*", "~root", "$HOME", "a b\tc", ""]
        for value in hostile {
            let (ok, output) = try ToolRunner.run("/bin/sh", ["-c", "printf '%s' " + ShellText.quoted(value)])
            #expect(ok)
            #expect(output == value, "\(value.debugDescription) came back as \(output.debugDescription)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/fabricc-pwned"))
    }

    /// Names a shell would need quoting for never reach a script (FAB6004),
    /// and names esxcli's lists cannot carry are refused (FAB7301).
    @Test func hostileNamesAreRefusedAtTheirSourceLine() throws {
        for name in ["x'; reboot; '", "$(reboot)", "`reboot`", "a;b", "pg,data", " pg"] {
            let source = """
                host esx1 { platform esxi; address 10.0.0.1
                    vswitch vSwitch1 { uplinks vmnic1; portgroup "\(name.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\"").replacingOccurrences(of: "$", with: "\\$"))" { vlan 10 } }
                }
                """
            let result = Driver.build("main.fab", options: BuildOptions(backends: ["esxi"]), provider: MemorySourceProvider(files: ["/project/main.fab": source]))
            #expect(result.files.isEmpty, "\(name) was written")
            let codes = result.diagnostics.filter { $0.severity == .error }.map(\.code.id)
            #expect(codes == [name.contains(",") || name.hasPrefix(" ") ? "FAB7301" : "FAB6004"], "\(name): \(codes)")
        }
    }
}

/// A scratch directory with a `bin/esxcli` that is the suite's fake.
struct FakeESXi {
    let bin: URL
    let stateDir: URL

    init(in dir: URL) throws {
        bin = dir.appendingPathComponent("bin")
        stateDir = dir.appendingPathComponent("state")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        try FileManager.default.createDirectory(at: stateDir, withIntermediateDirectories: true)
        let fake = EsxiScriptTests.root.appendingPathComponent("Tests/esxi/fake-esxcli")
        try FileManager.default.copyItem(at: fake, to: bin.appendingPathComponent("esxcli"))
        try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent("esxcli").path)
    }

    var environment: [String] {
        ["PATH=\(bin.path):/usr/bin:/bin", "FAKE_ESXCLI_STATE=\(stateDir.path)"]
    }

    /// A fresh ESXi host: vSwitch0 on vmnic0 with the management port group.
    func seedFreshHost() throws {
        _ = try esxcli(["network", "vswitch", "standard", "add", "--vswitch-name=vSwitch0"])
        _ = try esxcli(["network", "vswitch", "standard", "uplink", "add", "--uplink-name=vmnic0", "--vswitch-name=vSwitch0"])
        _ = try esxcli(["network", "vswitch", "standard", "portgroup", "add", "--portgroup-name=Management Network", "--vswitch-name=vSwitch0"])
        try clearLog()
    }

    func esxcli(_ arguments: [String]) throws -> (ok: Bool, output: String) {
        try ToolRunner.run("/usr/bin/env", ["-i"] + environment + ["esxcli"] + arguments)
    }

    func run(_ script: URL, arguments: [String] = []) throws -> (ok: Bool, output: String) {
        try ToolRunner.run("/usr/bin/env", ["-i"] + environment + ["sh", script.path] + arguments)
    }

    func clearLog() throws { try? FileManager.default.removeItem(at: stateDir.appendingPathComponent("log")) }

    func log() throws -> [String] {
        guard let text = try? String(contentsOf: stateDir.appendingPathComponent("log"), encoding: .utf8) else { return [] }
        return text.split(separator: "\n").map(String.init)
    }

    /// Every state file as `kind/name/field` → its lines, sorted.
    func state() throws -> [String: String] {
        var out: [String: String] = [:]
        for kind in ["vswitch", "portgroup"] {
            let dir = stateDir.appendingPathComponent(kind)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
                for field in try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(name).path) {
                    let text = try String(contentsOf: dir.appendingPathComponent(name).appendingPathComponent(field), encoding: .utf8)
                    out["\(kind)/\(name)/\(field)"] = text.split(separator: "\n").map(String.init).sorted().joined(separator: "\n")
                }
            }
        }
        return out
    }
}

func withScratch(_ body: (URL) throws -> Void) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fabricc-esxi-\(getpid())-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try body(dir)
}
