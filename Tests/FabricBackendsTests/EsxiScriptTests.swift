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
    static let shellcheck = "/usr/bin/shellcheck"
    static var haveShellcheck: Bool { ToolRunner.available(shellcheck) }

    /// Golden scripts with the intent they were built from.
    static func goldenScripts() -> [(script: URL, intent: URL)] { goldenScripts(backend: "esxi") }

    /// The golden `<backend>/*.sh` files and the intent each was built from.
    static func goldenScripts(backend: String) -> [(script: URL, intent: URL)] {
        let golden = PackageRoot.url.appendingPathComponent("Golden")
        let walker = FileManager.default.enumerator(at: golden, includingPropertiesForKeys: nil)
        return (walker?.compactMap { $0 as? URL } ?? [])
            .filter {
                $0.pathExtension == "sh" && $0.deletingLastPathComponent().lastPathComponent == backend
                    && $0.path.contains("/expected/")
            }
            .sorted { $0.path < $1.path }
            .map { script in
                let caseDir = script.deletingLastPathComponent().deletingLastPathComponent().deletingLastPathComponent()
                let intent =
                    caseDir.deletingLastPathComponent().lastPathComponent == "examples"
                    ? PackageRoot.url.appendingPathComponent("examples/\(caseDir.lastPathComponent).fab")
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
        let scripts = Self.goldenScripts()
        #expect(!scripts.isEmpty)
        for (script, intent) in scripts {
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
                    #expect(
                        actual[key] == value,
                        "\(script.lastPathComponent): \(key) is \(actual[key] ?? "missing"), expected \(value)")
                }
                // Nothing beyond a fresh host and the intent.
                let objects = Set(actual.keys.map { $0.split(separator: "/").prefix(2).joined(separator: "/") })
                let allowed = Set(
                    expected.keys.map { $0.split(separator: "/").prefix(2).joined(separator: "/") } + [
                        "vswitch/vSwitch0", "portgroup/Management Network",
                    ])
                #expect(objects.isSubset(of: allowed), "\(objects.subtracting(allowed))")

                try fake.clearLog()
                let second = try fake.run(script)
                #expect(second.ok, "\(script.path) failed on the second run: \(second.output)")
                let calls = try fake.log()
                #expect(!calls.isEmpty)
                #expect(
                    !calls.contains { $0.contains(" add ") || $0.hasSuffix(" add") },
                    "second run added: \(calls.filter { $0.contains(" add") })")
                #expect(try fake.state() == actual, "the second run changed the host")
            }
        }
    }

    /// What the fake's files must hold for `host`, as `kind/name/field` → value.
    static func expectedState(_ host: FabricSema.Host) -> [String: String] {
        var out: [String: String] = [:]
        func failover(_ f: Failover) -> String {
            [
                "active=\(f.active.map(\.value).joined(separator: ","))",
                "standby=\(f.standby.map(\.value).joined(separator: ","))",
                "load-balancing=\(f.loadBalancing.map(EsxiScriptBuilder.loadBalancing) ?? "")",
            ].sorted().joined(separator: "\n")
        }
        func security(_ s: Security) -> String {
            func v(_ a: PolicyAction?) -> String { a.map { $0 == .accept ? "true" : "false" } ?? "" }
            return
                "promiscuous=\(v(s.promiscuous)) forged-transmits=\(v(s.forgedTransmits)) mac-change=\(v(s.macChanges))"
        }
        for vs in host.vswitches {
            let key = "vswitch/\(vs.name)/"
            if let mtu = vs.mtu?.value { out[key + "mtu"] = "\(mtu)" }
            if let ports = vs.ports { out[key + "ports"] = "\(ports)" }
            out[key + "uplinks"] = Set(vs.uplinks.map(\.value) + (vs.name == "vSwitch0" ? ["vmnic0"] : [])).sorted()
                .joined(separator: "\n")
            out[key + "portgroups"] = Set(
                vs.portGroups.map { $0.name } + (vs.name == "vSwitch0" ? ["Management Network"] : [])
            ).sorted().joined(separator: "\n")
            if let f = vs.failover { out[key + "failover"] = failover(f) }
            if let s = vs.security { out[key + "security"] = security(s) }
            for pg in vs.portGroups {
                let key = "portgroup/\(pg.name)/"
                out[key + "vswitch"] = vs.name
                out[key + "vlan"] = "\(pg.vlan.value)"
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
            #expect(
                output.contains(
                    "esxcli 'network' 'vswitch' 'standard' 'portgroup' 'set' '--portgroup-name=pg-data' '--vlan-id=3105'\n"
                ))
            #expect(output.contains("'add' '--vswitch-name=vSwitch1'"))
            for arguments in [["--force"], ["--dry-run", "extra"], ["", "--dry-run"]] {
                let usage = try fake.status(script, arguments: arguments)
                #expect(usage.status == 64 && usage.output.contains("usage:"), "\(arguments): \(usage)")
            }
            #expect(try fake.log().isEmpty, "bad usage called esxcli")
        }
    }

    /// A failing esxcli stops the script with a message and status 1: here
    /// the port group exists already on another vSwitch.
    @Test func aFailingCommandStopsTheScript() throws {
        let script = try #require(Self.goldenScripts().first { $0.script.path.contains("s1-flat-l2") }?.script)
        try withScratch { dir in
            let fake = try FakeESXi(in: dir)
            try fake.seedFreshHost()
            _ = try fake.esxcli([
                "network", "vswitch", "standard", "portgroup", "add", "--portgroup-name=pg-data",
                "--vswitch-name=vSwitch0",
            ])
            let (status, output) = try fake.status(script)
            #expect(status == 1)
            #expect(output.contains("failed; stopping"), "\(output)")
            #expect(!(try fake.log().contains { $0.contains("--vlan-id=3105") }), "ran on after the failure")
        }
    }

    /// The real `sh` reads every quoted value back unchanged.
    @Test func quotingSurvivesHostileValues() throws {
        let hostile = [
            "x'; reboot; '", "$(touch /tmp/fabricc-pwned)", "`id`", "a;b|c&d", "two\nlines", "-v", "'", "''", "\\", "*",
            "~root", "$HOME", "a b\tc", "",
            // A combining mark makes one Character of a quote and what
            // follows it: quoting must see the quote all the same.
            "x'\u{301}; touch /tmp/fabricc-pwned; '", "$\u{301}(id)", "`\u{301}id`",
        ]
        for value in hostile {
            let (ok, output) = try ToolRunner.run("/bin/sh", ["-c", "printf '%s' " + ShellText.quoted(value)])
            #expect(ok)
            #expect(output == value, "\(value.debugDescription) came back as \(output.debugDescription)")
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/fabricc-pwned"))
    }

    /// What ESXi would refuse halfway through the script is refused at the
    /// source line instead.
    @Test(arguments: [
        (
            "one NIC, two vSwitches",
            "vswitch vSwitch1 { uplinks vmnic1 }\n vswitch vSwitch2 { uplinks vmnic2, vmnic1 }", "FAB7302",
            "uplink `vmnic1` of vSwitch `vSwitch2` is already an uplink of vSwitch `vSwitch1`"
        ),
        (
            "a NIC listed twice", "vswitch vSwitch1 { uplinks vmnic1, vmnic1 }", "FAB7302",
            "vSwitch `vSwitch1` lists uplink `vmnic1` twice"
        ),
        (
            "inherited standby",
            "vswitch vSwitch1 { uplinks vmnic1, vmnic2; failover { active vmnic1; standby vmnic2 }\n portgroup pg { vlan 10; failover { load-balancing ip-hash } } }",
            "FAB7302", "port group `pg` has standby uplinks with `load-balancing ip-hash`"
        ),
        (
            "inherited ip-hash",
            "vswitch vSwitch1 { uplinks vmnic1, vmnic2; failover { load-balancing ip-hash }\n portgroup pg { vlan 10; failover { active vmnic1; standby vmnic2 } } }",
            "FAB7302", "port group `pg` has standby uplinks with `load-balancing ip-hash`"
        ),
        (
            "MTU too small", "vswitch vSwitch1 { mtu 1000; uplinks vmnic1 }", "FAB7303",
            "vSwitch `vSwitch1` has MTU 1000, which ESXi refuses"
        ),
        (
            "MTU too large", "vswitch vSwitch1 { mtu 9216; uplinks vmnic1 }", "FAB7303",
            "vSwitch `vSwitch1` has MTU 9216, which ESXi refuses"
        ),
    ])
    func esxcliRefusalsAreCaughtAtTheSourceLine(_ name: String, _ body: String, _ code: String, _ message: String) {
        let source = "host esx1 { platform esxi; address 10.0.0.1\n \(body)\n}\n"
        let result = Driver.build(
            "main.fab", options: BuildOptions(backends: ["esxi"]),
            provider: MemorySourceProvider(files: ["/project/main.fab": source]))
        #expect(result.files.isEmpty, "\(name) was written")
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code.id) == [code], "\(name): \(errors.map(\.message))")
        #expect(errors.first?.message == message)
    }

    /// A port group may override what its vSwitch sets, as long as the
    /// effective policy is one ESXi takes.
    @Test func overridingTheVSwitchsPolicyIsFine() {
        let source = """
            host esx1 { platform esxi; address 10.0.0.1
                vswitch vSwitch1 { uplinks vmnic1, vmnic2; mtu 9000; failover { active vmnic1; standby vmnic2 }
                    portgroup pg { vlan 10; failover { active vmnic1, vmnic2; load-balancing ip-hash } }
                    portgroup other { vlan 11 }
                }
            }
            """
        let result = Driver.build(
            "main.fab", options: BuildOptions(backends: ["esxi"]),
            provider: MemorySourceProvider(files: ["/project/main.fab": source]))
        #expect(result.diagnostics.isEmpty, "\(result.diagnostics.map(\.message))")
        #expect(result.files.count == 1)
    }

    /// The fake must refuse what esxcli refuses, or the runs above prove little.
    @Test func theFakeRefusesWhatESXiRefuses() throws {
        try withScratch { dir in
            let fake = try FakeESXi(in: dir)
            try fake.seedFreshHost()
            let vs = ["network", "vswitch", "standard"]
            #expect(try fake.esxcli(vs + ["add", "--vswitch-name=vSwitch1"]).ok)
            let refused: [[String]] = [
                ["uplink", "add", "--uplink-name=vmnic0", "--vswitch-name=vSwitch1"],  // vSwitch0 has it
                ["set", "--vswitch-name=vSwitch1", "--mtu=1279"],
                ["set", "--vswitch-name=vSwitch1", "--mtu=9001"],
                ["portgroup", "set", "--portgroup-name=Management Network", "--vlan-id=5", "--vswitch-name=vSwitch0"],
                [
                    "portgroup", "policy", "failover", "set", "--portgroup-name=Management Network",
                    "--vswitch-name=vSwitch0",
                ],
                [
                    "policy", "failover", "set", "--vswitch-name=vSwitch0", "--active-uplinks=vmnic0",
                    "--standby-uplinks=vmnic9",
                ],
                ["add", "-v", "vSwitch3"],
            ]
            for arguments in refused {
                let (ok, output) = try fake.esxcli(vs + arguments)
                #expect(!ok && output.hasPrefix("Error: "), "accepted \(arguments)")
            }
            // A policy set changes only what it is given, and IP-hash takes no standby.
            #expect(try fake.esxcli(vs + ["uplink", "add", "--uplink-name=vmnic1", "--vswitch-name=vSwitch0"]).ok)
            #expect(
                try fake.esxcli(
                    vs + [
                        "policy", "failover", "set", "--vswitch-name=vSwitch0", "--active-uplinks=vmnic0",
                        "--standby-uplinks=vmnic1",
                    ]
                ).ok)
            #expect(
                !(try fake.esxcli(
                    vs + ["policy", "failover", "set", "--vswitch-name=vSwitch0", "--load-balancing=iphash"]
                ).ok))
            #expect(
                try fake.esxcli(vs + ["policy", "failover", "set", "--vswitch-name=vSwitch0", "--load-balancing=mac"])
                    .ok)
            #expect(
                try fake.state()["vswitch/vSwitch0/failover"] == "active=vmnic0\nload-balancing=mac\nstandby=vmnic1")
        }
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
            let result = Driver.build(
                "main.fab", options: BuildOptions(backends: ["esxi"]),
                provider: MemorySourceProvider(files: ["/project/main.fab": source]))
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
        let fake = PackageRoot.url.appendingPathComponent("Tests/esxi/fake-esxcli")
        try FileManager.default.copyItem(at: fake, to: bin.appendingPathComponent("esxcli"))
        try FileManager.default.setAttributes(
            [.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent("esxcli").path)
    }

    var environment: [String] {
        ["PATH=\(bin.path):/usr/bin:/bin", "FAKE_ESXCLI_STATE=\(stateDir.path)"]
    }

    /// A fresh ESXi host: vSwitch0 on vmnic0 with the management port group.
    func seedFreshHost() throws {
        _ = try esxcli(["network", "vswitch", "standard", "add", "--vswitch-name=vSwitch0"])
        _ = try esxcli([
            "network", "vswitch", "standard", "uplink", "add", "--uplink-name=vmnic0", "--vswitch-name=vSwitch0",
        ])
        _ = try esxcli([
            "network", "vswitch", "standard", "portgroup", "add", "--portgroup-name=Management Network",
            "--vswitch-name=vSwitch0",
        ])
        try clearLog()
    }

    func esxcli(_ arguments: [String]) throws -> (ok: Bool, output: String) {
        try ToolRunner.run("/usr/bin/env", ["-i"] + environment + ["esxcli"] + arguments)
    }

    func run(_ script: URL, arguments: [String] = []) throws -> (ok: Bool, output: String) {
        let result = try status(script, arguments: arguments)
        return (result.status == 0, result.output)
    }

    func status(_ script: URL, arguments: [String] = []) throws -> (status: Int32, output: String) {
        try ToolRunner.status("/usr/bin/env", ["-i"] + environment + ["sh", script.path] + arguments)
    }

    func clearLog() throws { try? FileManager.default.removeItem(at: stateDir.appendingPathComponent("log")) }

    func log() throws -> [String] {
        guard let text = try? String(contentsOf: stateDir.appendingPathComponent("log"), encoding: .utf8) else {
            return []
        }
        return text.split(separator: "\n").map(String.init)
    }

    /// Every state file as `kind/name/field` → its lines, sorted.
    func state() throws -> [String: String] {
        var out: [String: String] = [:]
        for kind in ["vswitch", "portgroup"] {
            let dir = stateDir.appendingPathComponent(kind)
            for name in (try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? [] {
                for field in try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent(name).path)
                {
                    let text = try String(
                        contentsOf: dir.appendingPathComponent(name).appendingPathComponent(field), encoding: .utf8)
                    out["\(kind)/\(name)/\(field)"] = text.split(separator: "\n").map(String.init).sorted().joined(
                        separator: "\n")
                }
            }
        }
        return out
    }
}

func withScratch(_ body: (URL) throws -> Void) throws {
    let dir = FileManager.default.temporaryDirectory.appendingPathComponent(
        "fabricc-esxi-\(getpid())-\(UUID().uuidString)")
    try FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
    defer { try? FileManager.default.removeItem(at: dir) }
    try body(dir)
}
