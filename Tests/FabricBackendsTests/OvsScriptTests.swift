import FabricDriver
import FabricSema
import FabricSyntax
import FabricTestSupport
import Foundation
import Testing

@testable import FabricBackends

/// Every OVS script in the golden trees, judged by `shellcheck -s sh` and
/// `sh -n`, then run for real, twice, inside a fresh network namespace
/// against a userspace Open vSwitch (`Tests/live/ovs-live.sh`) with the
/// suite's fake `virsh` (`Tests/ovs/fake-virsh`): `ovs-vsctl` and `ip -j
/// link` must show exactly the intended bridges, ports, VLANs, masters, MTUs
/// and link states, and the second run must change nothing.
@Suite(.serialized) struct OvsScriptTests {
    static let shellcheck = "/usr/bin/shellcheck"
    static var haveShellcheck: Bool { ToolRunner.available(shellcheck) }
    static var canRunLive: Bool {
        ToolRunner.toolsRequired
            || (getuid() == 0 && FileManager.default.isExecutableFile(atPath: "/usr/bin/ovs-vsctl")
                && FileManager.default.isExecutableFile(atPath: "/usr/sbin/ovs-vswitchd"))
    }
    static var haveOVS: Bool {
        ToolRunner.available("/usr/bin/ovs-vsctl") && ToolRunner.available("/usr/sbin/ovsdb-server")
    }

    /// Golden scripts with the intent they were built from.
    static func goldenScripts() -> [(script: URL, intent: URL)] { EsxiScriptTests.goldenScripts(backend: "ovs") }

    static func host(_ script: URL, _ intent: URL) throws -> FabricSema.Host {
        let ir = try #require(Driver.check(intent.path).ir, "\(intent.path) does not check")
        return try #require(ir.hosts.first { $0.name == script.deletingPathExtension().lastPathComponent })
    }

    /// What the intent's ports and VM interfaces carry (clouds resolved).
    static func vlans(_ intent: URL) throws -> OvsVLANs {
        OvsVLANs(try #require(Driver.check(intent.path).ir, "\(intent.path) does not check"))
    }

    @Test(.enabled(if: haveShellcheck, "shellcheck is not installed: run scripts/test"))
    func shellcheckFindsNothingInEveryGoldenScript() throws {
        let scripts = Self.goldenScripts()
        #expect(scripts.count >= 5)
        for (script, _) in scripts {
            let (ok, output) = try ToolRunner.run(Self.shellcheck, ["-s", "sh", script.path])
            #expect(ok && output.isEmpty, "\(script.path): \(output)")
            let (parses, error) = try ToolRunner.run("/bin/sh", ["-n", script.path])
            #expect(parses, "\(script.path): \(error)")
        }
        // The suite's own shell helpers are held to the same standard.
        for helper in ["Tests/ovs/fake-virsh", "Tests/live/ovs-live.sh", "Tests/live/with-ovsdb.sh"] {
            let (ok, output) = try ToolRunner.run(
                Self.shellcheck, [PackageRoot.url.appendingPathComponent(helper).path])
            #expect(ok, "\(helper): \(output)")
        }
    }

    // MARK: Run for real

    @Test(.enabled(if: canRunLive, "needs root and openvswitch-switch: run scripts/test"), .timeLimit(.minutes(5)))
    func everyGoldenScriptReachesItsIntentAndIsRerunnable() throws {
        let scripts = Self.goldenScripts()
        #expect(!scripts.isEmpty)
        for (script, intent) in scripts {
            let host = try Self.host(script, intent)
            try withScratch { dir in
                let virsh = try FakeVirsh(in: dir, domains: Self.domains(host))
                let run = try LiveRun.run(
                    script, in: dir,
                    nics: Self.physicalNICs(host, pools: PoolGateways(Self.vlans(intent).pools.values)), virsh: virsh)
                let name = script.lastPathComponent
                #expect(run.status(1) == 0, "\(name), first run: \(run.output(1))")
                #expect(run.status(2) == 0, "\(name), second run: \(run.output(2))")
                for problem in try Self.differences(host, run: run, pass: 1, virsh: virsh, vlans: Self.vlans(intent)) {
                    Issue.record("\(name): \(problem)")
                }
                // The second run changes nothing: same links (same ifindex
                // and MAC, so nothing was re-created), same OVS rows, no attach.
                #expect(
                    try run.links(2).mapValues(\.stable) == run.links(1).mapValues(\.stable),
                    "\(name): the second run changed the links")
                #expect(try run.ovs(2) == run.ovs(1), "\(name): the second run changed Open vSwitch")
                let versions = try run.versions(2)
                let before = try run.versions(1)
                for (row, version) in versions where before[row] != version {
                    Issue.record("\(name): the second run rewrote \(row)")
                }
                #expect(Set(versions.keys) == Set(before.keys), "\(name): the second run added or removed rows")
                let attaches = try virsh.log().filter { $0.hasPrefix("attach-") }
                #expect(attaches.count == host.vms.reduce(0) { $0 + $1.attach.count }, "\(name): attached \(attaches)")
            }
        }
    }

    /// Isolation, not only configuration: namespaces stand in for VMs behind
    /// the access ports of Golden/build/ovs-isolation's host, and
    /// Tests/live/ovs-isolation.sh checks who reaches whom across the nested
    /// trunk, what ofproto/trace does with tagged frames, and every MTU.
    @Test(.enabled(if: canRunLive, "needs root and openvswitch-switch: run scripts/test"), .timeLimit(.minutes(2)))
    func vlansIsolateTenantsInTheDataPlane() throws {
        let (script, intent) = try #require(
            Self.goldenScripts().first { $0.script.path.hasSuffix("ovs-isolation/expected/ovs/compute1.sh") })
        let host = try Self.host(script, intent)
        let check = PackageRoot.url.appendingPathComponent("Tests/live/ovs-isolation.sh").path
        try withScratch { dir in
            let virsh = try FakeVirsh(in: dir, domains: [])
            let run = try LiveRun.run(
                script, in: dir, nics: Self.physicalNICs(host, pools: PoolGateways([])), virsh: virsh,
                after: "bash '\(check)'")
            #expect(run.status(1) == 0 && run.status(2) == 0, "\(run.output(1)) \(run.output(2))")
            #expect(
                run.text("after.status").trimmingCharacters(in: .whitespacesAndNewlines) == "0",
                "\(run.text("after.out"))")
            #expect(run.text("after.out").contains("ovs-isolation: OK"), "\(run.text("after.out"))")
        }
    }

    /// A host that drifted between two runs (a port's tag, trunks and
    /// description changed by hand, a member taken out of its bridge) is
    /// brought back to the intent by the next run.
    @Test(.enabled(if: canRunLive, "needs root and openvswitch-switch: run scripts/test"), .timeLimit(.minutes(2)))
    func aSecondRunRepairsDrift() throws {
        let (script, intent) = try #require(
            Self.goldenScripts().first { $0.script.path.contains("s4-nested-openstack") })
        let host = try Self.host(script, intent)
        try withScratch { dir in
            let virsh = try FakeVirsh(in: dir, domains: Self.domains(host))
            let drift =
                "ovs-vsctl --db=\"$OVS_DB\" set Port qvo-data tag=7 trunks=1,2 vlan_mode=native-tagged external_ids:description=x"
                + " && ip link set dev qvb-data nomaster && ip link set dev br-data down"
            let run = try LiveRun.run(
                script, in: dir, nics: Self.physicalNICs(host, pools: PoolGateways(Self.vlans(intent).pools.values)),
                virsh: virsh,
                between: drift)
            #expect(run.status(2) == 0, "\(run.output(2)) \(run.text("between.out"))")
            #expect(try run.ovs(1).ports["qvo-data"] != nil)
            for problem in try Self.differences(host, run: run, pass: 2, virsh: virsh, vlans: Self.vlans(intent)) {
                Issue.record("after the drift: \(problem)")
            }
        }
    }

    /// A failing step stops the script with its reason and status 1, before
    /// the later steps: here `br-data` exists already, as a veth.
    @Test(.enabled(if: canRunLive, "needs root and openvswitch-switch: run scripts/test"), .timeLimit(.minutes(2)))
    func aFailingStepStopsTheScript() throws {
        let (script, intent) = try #require(
            Self.goldenScripts().first { $0.script.path.contains("s4-nested-openstack") })
        let host = try Self.host(script, intent)
        try withScratch { dir in
            let virsh = try FakeVirsh(in: dir, domains: Self.domains(host))
            let run = try LiveRun.run(
                script, in: dir, nics: Self.physicalNICs(host, pools: PoolGateways([])) + ["br-data"], virsh: virsh)
            #expect(run.status(1) == 1)
            #expect(
                run.output(1).contains("compute1: br-data exists but is not a Linux bridge; stopping"),
                "\(run.output(1))")
            #expect(try run.ovs(1).bridges.isEmpty, "ran on after the failure")
            #expect(try virsh.log().isEmpty, "ran on after the failure")
        }
    }

    /// The names the script expects the host to have already: uplinks,
    /// bridge members and OVS ports it does not create itself.
    static func physicalNICs(_ host: FabricSema.Host, pools: PoolGateways) -> [String] {
        let created = Set(
            host.veths.flatMap { [$0.name, $0.peer.value] } + host.linuxBridges.map(\.name)
                + host.ovsBridges.map(\.name))
        var names: [String] = []
        for name in host.linuxBridges.flatMap({ $0.members.map(\.value) })
            + host.ovsBridges.flatMap({ ($0.uplink.map { [$0.value] } ?? []) + $0.ports.map(\.name) })
            + runningRoutedVMs(host, pools: pools).map(\.hostInterface.value)
        where !created.contains(name) && !names.contains(name) {
            names.append(name)
        }
        return names
    }

    /// The routed VMs whose interfaces the test creates (libvirt would, as
    /// the VM starts): all but the last, which does not run on this host,
    /// so the script must leave it unrouted.
    static func runningRoutedVMs(_ host: FabricSema.Host, pools: PoolGateways) -> [RoutedVM] {
        Array(host.routedVMs(pools: pools).dropLast())
    }

    /// Every attached VM's domain; every other one runs, so both `--live`
    /// and a definition-only attach are exercised.
    static func domains(_ host: FabricSema.Host) -> [(name: String, running: Bool)] {
        host.vms.filter { !$0.attach.isEmpty }.enumerated().map { ($1.domain?.value ?? $1.name, $0 % 2 == 0) }
    }

    /// A VM interface's VLANs as the fake virsh records them.
    static func vlanText(_ vlan: OvsVLANs.VMVLAN?) -> String {
        switch vlan {
        case .access(let id)?: "access:\(id)"
        case .trunk(let ranges)?: "trunk:" + ranges.flatMap { Array($0) }.map(String.init).joined(separator: ",")
        case nil: "-"
        }
    }

    /// What differs between the host after run `pass` and the intent.
    static func differences(_ host: FabricSema.Host, run: LiveRun, pass: Int, virsh: FakeVirsh, vlans: OvsVLANs) throws
        -> [String]
    {
        var problems: [String] = []
        let links = try run.links(pass)
        func link(_ name: String) -> Link? {
            guard let l = links[name] else {
                problems.append("link \(name) is missing")
                return nil
            }
            return l
        }
        func expectUp(_ name: String) {
            if let l = link(name), !l.up { problems.append("\(name) is not up") }
        }
        for veth in host.veths {
            for (end, other) in [(veth.name, veth.peer.value), (veth.peer.value, veth.name)] {
                guard let l = link(end) else { continue }
                if l.kind != "veth" || l.peer != other {
                    problems.append(
                        "\(end) is \(l.kind ?? "?") paired with \(l.peer ?? "nothing"), expected a veth paired with \(other)"
                    )
                }
                if l.mtu != (veth.mtu ?? 1500) { problems.append("\(end) has MTU \(l.mtu)") }
                expectUp(end)
            }
        }
        for bridge in host.linuxBridges {
            guard let l = link(bridge.name) else { continue }
            if l.kind != "bridge" { problems.append("\(bridge.name) is \(l.kind ?? "?"), expected a bridge") }
            if let mtu = bridge.mtu, l.mtu != mtu {
                problems.append("\(bridge.name) has MTU \(l.mtu), expected \(mtu)")
            }
            expectUp(bridge.name)
            for member in bridge.members.map(\.value) {
                if let m = link(member), m.master != bridge.name {
                    problems.append("\(member)'s master is \(m.master ?? "none"), expected \(bridge.name)")
                }
                expectUp(member)
            }
        }
        let ovs = try run.ovs(pass)
        for (interface, error) in ovs.interfaceErrors {
            problems.append("Open vSwitch cannot use \(interface): \(error)")
        }
        if Set(ovs.bridges.keys) != Set(host.ovsBridges.map(\.name)) {
            problems.append("OVS bridges are \(ovs.bridges.keys.sorted())")
        }
        for bridge in host.ovsBridges {
            guard let row = ovs.bridges[bridge.name] else { continue }
            if row.datapath != "netdev" { problems.append("\(bridge.name) has datapath \(row.datapath)") }
            if row.description != bridge.description {
                problems.append("\(bridge.name)'s description is \(row.description ?? "none")")
            }
            let ports = Set([bridge.name] + (bridge.uplink.map { [$0.value] } ?? []) + bridge.ports.map(\.name))
            if row.ports != ports {
                problems.append("\(bridge.name) has ports \(row.ports.sorted()), expected \(ports.sorted())")
            }
            if ovs.mtuRequests[bridge.name] != bridge.mtu {
                problems.append(
                    "\(bridge.name) has mtu_request \(ovs.mtuRequests[bridge.name].map(String.init) ?? "none")")
            }
            expectUp(bridge.name)
            if let uplink = bridge.uplink?.value {
                expectUp(uplink)
                if let p = ovs.ports[uplink], p != OVSPortRow(vlanMode: nil, tag: nil, trunks: [], note: nil) {
                    problems.append("uplink \(uplink) is \(p)")
                }
            }
            for port in bridge.ports {
                let want = OVSPortRow(
                    vlanMode: port.vlanMode?.rawValue, tag: port.tag,
                    trunks: Set(vlans.trunks(port).flatMap { Array($0) }),
                    note: port.description)
                if ovs.ports[port.name] != want {
                    problems.append(
                        "port \(port.name) is \(ovs.ports[port.name].map { "\($0)" } ?? "missing"), expected \(want)")
                }
            }
        }
        // MTU on the real links: an OVS bridge's uplink and a Linux bridge's
        // physical members carry the bridge's MTU, else the host's.
        let mtu = OvsMTU(host: host, overlay: 1500)
        for bridge in host.ovsBridges {
            if let uplink = bridge.uplink?.value, let want = mtu.uplink(bridge), let l = link(uplink), l.mtu != want {
                problems.append("uplink \(uplink) has MTU \(l.mtu), expected \(want)")
            }
        }
        let veths = mtu.vethMTU
        for bridge in host.linuxBridges {
            guard let want = mtu.physicalMember(bridge) else { continue }
            for member in bridge.members.map(\.value) where veths[member] == nil {
                if let l = link(member), l.mtu != want {
                    problems.append("\(member) has MTU \(l.mtu), expected \(want)")
                }
            }
        }
        // The IP fabric: each running VM's interface carries the gateway
        // (address and MAC) and the /32 route to the VM; a VM that is not
        // running here has no route. The host forwards.
        let routed = host.routedVMs(pools: PoolGateways(vlans.pools.values))
        if !routed.isEmpty {
            let addresses = try run.addresses(pass)
            let routes = try run.routes(pass)
            if run.text("run\(pass)-forwarding").trimmingCharacters(in: .whitespacesAndNewlines) != "1" {
                problems.append("the host does not forward IPv4")
            }
            let running = Set(Self.runningRoutedVMs(host, pools: PoolGateways(vlans.pools.values)).map(\.name))
            for r in routed {
                let vm = host.vms[r.index]
                let gateway = r.gateway
                let dev = vm.hostInterface.value
                let ip = "\(r.address)"
                guard running.contains(vm.name) else {
                    if let route = routes.first(where: { $0.destination == ip }) {
                        problems.append("VM \(vm.name) does not run here, yet has route \(route)")
                    }
                    continue
                }
                guard let l = link(dev) else { continue }
                expectUp(dev)
                if l.address != OvsScriptBuilder.gatewayMAC(gateway) {
                    problems.append("\(dev) has MAC \(l.address ?? "none")")
                }
                if !(addresses[dev] ?? []).contains("\(gateway)/32") {
                    problems.append("\(dev) has addresses \(addresses[dev] ?? []), expected \(gateway)/32")
                }
                let want = RouteRow(destination: ip, device: dev, protocol: "static")
                if !routes.contains(want) {
                    problems.append("no route \(want); routes \(routes)")
                }
            }
        }
        let ovsBridges = Set(host.ovsBridges.map(\.name))
        for vm in host.vms where !vm.attach.isEmpty {
            let domain = vm.domain?.value ?? vm.name
            let interfaces = try virsh.interfaces(domain)
            let want = vm.attach.map(\.value).enumerated().map { i, bridge in
                FakeVirsh.Interface(
                    source: bridge, model: vm.model ?? "virtio", mac: i == 0 ? vm.mac?.description : nil,
                    virtualport: ovsBridges.contains(bridge) ? "openvswitch" : "-",
                    vlan: ovsBridges.contains(bridge) ? Self.vlanText(vlans.vlan(of: vm)) : "-")
            }
            if interfaces.map({ $0.withoutGeneratedMAC(keep: $0.mac == vm.mac?.description) }) != want {
                problems.append("domain \(domain) has interfaces \(interfaces), expected \(want)")
            }
            let running = Self.domains(host).first { $0.name == domain }?.running ?? false
            if try virsh.interfaces(domain, live: true).count != (running ? want.count : 0) {
                problems.append(
                    "domain \(domain): \(running ? "running, but not attached live" : "not running, yet attached live")"
                )
            }
        }
        return problems
    }

    // MARK: Without a host

    @Test func dryRunPrintsEveryCommandAndRunsNone() throws {
        let (script, _) = try #require(Self.goldenScripts().first { $0.script.path.contains("s4-nested-openstack") })
        try withScratch { dir in
            let tools = try RecordingTools(in: dir, names: ["ip", "ovs-vsctl", "virsh"])
            let (status, output) = try tools.run(script, arguments: ["--dry-run"])
            #expect(status == 0, "\(output)")
            let calls = try tools.calls()
            #expect(calls.isEmpty, "--dry-run ran \(calls)")
            #expect(
                output.contains("ip 'link' 'add' 'name' 'qvb-data' 'type' 'veth' 'peer' 'name' 'qvo-data'\n"),
                "\(output)")
            #expect(
                output.contains(
                    "ovs-vsctl '--may-exist' 'add-port' 'br-eth1' 'qvo-data' '--' 'set' 'Port' 'qvo-data' 'vlan_mode=trunk' 'trunks=200-299'"
                ), "\(output)")
            #expect(
                output.contains(
                    "virsh 'attach-interface' '--domain' 'instance-0000000a' '--type' 'bridge' '--source' 'br-data' '--model' 'virtio' '--mac' '0e:fa:b0:00:00:01' '--config'\n"
                ), "\(output)")
        }
    }

    @Test func dryRunShowsTheInterfaceXMLForAnOVSBridge() throws {
        let (script, _) = try #require(
            Self.goldenScripts().first { $0.script.path.hasSuffix("ovs-edge-cases/expected/ovs/kvm1.sh") })
        try withScratch { dir in
            let tools = try RecordingTools(in: dir, names: ["ip", "ovs-vsctl", "virsh"])
            let (status, output) = try tools.run(script, arguments: ["--dry-run"])
            #expect(status == 0, "\(output)")
            #expect(
                output.contains(
                    "virsh attach-device --domain 'web1-domain' --config with this interface:\n  <interface type=\"bridge\"><source bridge=\"br-ovs\"/><virtualport type=\"openvswitch\"/><model type=\"virtio\"/><mac address=\"52:54:00:12:34:56\"/><vlan><tag id=\"42\"/></vlan></interface>\n"
                ), "\(output)")
            let calls = try tools.calls()
            #expect(calls.isEmpty, "--dry-run ran \(calls)")
        }
    }

    /// A combining mark after a quote is one Character with it: the
    /// script still quotes the quote, so a description cannot end the
    /// word and run a command (it once could).
    @Test func aCombiningMarkAfterAQuoteStaysInTheWord() throws {
        try withScratch { dir in
            let marker = dir.appendingPathComponent("pwned").path
            let description = "x'\u{301}; printf pwned >\(marker); '\u{301}$\u{301}(id)"
            let source = """
                host kvm1 {
                    platform kvm
                    address 10.0.0.1
                    ovs-bridge br-int { description "\(description)" }
                }

                """
            let result = Driver.build(
                "main.fab", options: BuildOptions(backends: ["ovs"]),
                provider: MemorySourceProvider(files: ["/project/main.fab": source]))
            #expect(!result.hasErrors, "\(result.diagnostics.map(\.message))")
            let file = try #require(result.files.first { $0.path == "ovs/kvm1.sh" })
            let script = dir.appendingPathComponent("kvm1.sh")
            try file.contents.write(to: script, atomically: true, encoding: .utf8)
            let tools = try RecordingTools(in: dir, names: ["ip", "ovs-vsctl", "virsh"])
            let (status, output) = try tools.run(script)
            #expect(status == 0, "\(output)")
            #expect(!FileManager.default.fileExists(atPath: marker), "the description ran a command")
            let set = try tools.calls().filter { $0.contains("set Bridge br-int") }
            #expect(
                set.count == 1 && set.first?.hasSuffix("external_ids:description=\"\(description)\"") == true, "\(set)")
        }
    }

    @Test func badUsageAndABadDatapathExit64() throws {
        let (script, _) = try #require(Self.goldenScripts().first { $0.script.path.contains("s4-nested-openstack") })
        try withScratch { dir in
            let tools = try RecordingTools(in: dir, names: ["ip", "ovs-vsctl", "virsh"])
            for arguments in [["--force"], ["--dry-run", "extra"], ["", "--dry-run"]] {
                let (status, output) = try tools.run(script, arguments: arguments)
                #expect(status == 64 && output.contains("usage:"), "\(arguments): \(output)")
            }
            let (status, output) = try tools.run(script, environment: ["FABRICC_OVS_DATAPATH=dpdk"])
            #expect(status == 64 && output.contains("FABRICC_OVS_DATAPATH is dpdk; use system or netdev"), "\(output)")
            let calls = try tools.calls()
            #expect(calls.isEmpty, "bad usage ran \(calls)")
        }
    }

    /// A missing tool stops the script before it changes anything.
    @Test func aMissingToolStopsTheScriptFirst() throws {
        let (script, _) = try #require(Self.goldenScripts().first { $0.script.path.contains("s4-nested-openstack") })
        try withScratch { dir in
            let tools = try RecordingTools(in: dir, names: ["ip", "ovs-vsctl"])
            let (status, output) = try tools.run(script)
            #expect(status == 1 && output.contains("compute1: virsh is not installed; stopping"), "\(output)")
            let calls = try tools.calls()
            #expect(calls.isEmpty, "ran \(calls)")
        }
    }

    /// `ovs-vsctl` reads every hostile value back unchanged through both
    /// quoting layers (JSON for OVSDB, single quotes for `sh`).
    @Test(.enabled(if: haveOVS, "openvswitch-switch is not installed: run scripts/test"))
    func ovsdbReadsHostileValuesBackUnchanged() throws {
        let hostile = [
            "x'; reboot; '", "$(touch /tmp/fabricc-pwned)", "`id`", "a\"b", "back\\slash", "true", "false", "123", "-1",
            "1.5",
            "a=b,c", "{}", "[x]", "k:v", "über", "", "two\nlines", "tab\there", "plain", "with-dash.and_underscore",
            "abcdef12-1234-1234-1234-123456789012", "12345678-1234-1234-1234-123456789012", "\u{1}",
            "x'\u{301}; touch /tmp/fabricc-pwned; '", "\"\u{301}<&\u{301}>'\u{301}",
        ]
        try withScratch { dir in
            var script = "set -eu\novs-vsctl --db=\"$OVS_DB\" --no-wait add-br b0\n"
            for (i, value) in hostile.enumerated() {
                let argument = ShellText.quoted("external_ids:description=" + OvsValue.string(value))
                script += "ovs-vsctl --db=\"$OVS_DB\" --no-wait set Bridge b0 \(argument)\n"
                script +=
                    "ovs-vsctl --db=\"$OVS_DB\" --format=json --columns=external_ids list Bridge b0 >'\(dir.path)/\(i).json'\n"
            }
            let file = dir.appendingPathComponent("quote.sh")
            try script.write(to: file, atomically: true, encoding: .utf8)
            let harness = PackageRoot.url.appendingPathComponent("Tests/live/with-ovsdb.sh").path
            let (ok, output) = try ToolRunner.run("/bin/bash", [harness, file.path])
            #expect(ok, "\(output)")
            for (i, value) in hostile.enumerated() {
                let json = (try? Data(contentsOf: dir.appendingPathComponent("\(i).json"))) ?? Data()
                let table = (try? JSONSerialization.jsonObject(with: json)) as? [String: Any]
                let cell = (table?["data"] as? [[Any]])?.first?.first
                #expect(
                    LiveRun.map(cell)["description"] == value,
                    "\(value.debugDescription) came back as \(String(decoding: json, as: UTF8.self))")
            }
        }
        #expect(!FileManager.default.fileExists(atPath: "/tmp/fabricc-pwned"))
    }

    @Test func plainIdentifiersStayBareAndTheRestIsQuoted() {
        #expect(OvsValue.string("netdev") == "netdev")
        #expect(OvsValue.string("br-int.v_1") == "br-int.v_1")
        #expect(OvsValue.string("true") == "\"true\"")
        #expect(OvsValue.string("1abc") == "\"1abc\"")
        #expect(OvsValue.string("a b") == "\"a b\"")
        #expect(OvsValue.string("a\"b\\c\n\u{7F}") == #""a\"b\\c\n\u007f""#)
        #expect(LibvirtXML.attribute("a\"<&>'b") == "\"a&quot;&lt;&amp;&gt;&apos;b\"")
        // A combining mark after a special character is a Character of its
        // own making; the escaping works on scalars, so it still escapes.
        #expect(LibvirtXML.attribute("\"\u{301}<\u{301}'\u{301}") == "\"&quot;\u{301}&lt;\u{301}&apos;\u{301}\"")
    }

    // MARK: Refused at the source line

    @Test(arguments: [
        (
            "access port without a tag", "ovs-bridge br0 { port p1 { vlan-mode access } }", "FAB7501",
            "access port `p1` has no `tag`"
        ),
        (
            "native port without a tag", "ovs-bridge br0 { port p1 { vlan-mode native-untagged; trunks 10..20 } }",
            "FAB7501", "native-untagged port `p1` has no `tag`"
        ),
        (
            "tunnel with trunks", "ovs-bridge br0 { port p1 { vlan-mode dot1q-tunnel; tag 5; trunks 10 } }", "FAB7501",
            "dot1q-tunnel port `p1` has `trunks`"
        ),
        (
            "tag and trunks, no mode", "ovs-bridge br0 { port p1 { tag 5; trunks 10 } }", "FAB7501",
            "port `p1` has `tag` and `trunks` but no `vlan-mode`"
        ),
        (
            "member of two bridges", "linux-bridge br0 { members eth0 }\n linux-bridge br1 { members eth0 }", "FAB7502",
            "`eth0` is already a member of Linux bridge `br0`"
        ),
        (
            "Linux and OVS", "linux-bridge br0 { members eth1 }\n ovs-bridge br1 { uplink eth1 }", "FAB7502",
            "`eth1` is already a member of Linux bridge `br0`"
        ),
        (
            "uplink also a port", "ovs-bridge br1 { uplink eth1; port eth1 { tag 5 } }", "FAB7502",
            "`eth1` is already the uplink of OVS bridge `br1`"
        ),
        (
            "bridge in itself", "linux-bridge br0 { members br0 }", "FAB7502",
            "Linux bridge `br0` lists itself as a member"
        ),
        (
            "bridge in a bridge", "linux-bridge br0 { members eth0 }\n linux-bridge br1 { members br0 }", "FAB7502",
            "Linux bridge `br0` cannot be a member of Linux bridge `br1`"
        ),
        (
            "port named like its bridge", "ovs-bridge br1 { port br1 { tag 5 } }", "FAB7502",
            "OVS bridge `br1` has a port named after itself"
        ),
        (
            "Linux bridge as OVS port", "linux-bridge br0 { members eth0 }\n ovs-bridge br1 { port br0 { tag 5 } }",
            "FAB7502", "Linux bridge `br0` cannot be a port of OVS bridge `br1`"
        ),
        (
            "VM attached twice", "linux-bridge br0 { members eth0 }\n vm v1 { attach br0, br0 }", "FAB7502",
            "VM `v1` attaches to bridge `br0` twice"
        ),
        (
            "leading dash", "linux-bridge br0 { members \"-eth0\" }", "FAB6001",
            "bridge member `-eth0` is not a valid Linux interface name"
        ),
        (
            "OVS bridge in a Linux bridge", "linux-bridge br0 { members br1 }\n ovs-bridge br1 { }", "FAB7502",
            "OVS bridge `br1` cannot be a member of Linux bridge `br0`"
        ),
        (
            "OVS bridge as a port", "ovs-bridge br0 { port br1 { tag 5 } }\n ovs-bridge br1 { }", "FAB7502",
            "OVS bridge `br1` cannot be a port of OVS bridge `br0`"
        ),
        (
            "a veth looped into a bridge", "veth a { peer b }\n linux-bridge br0 { members a, b }", "FAB7502",
            "both ends of veth pair `a`/`b` are in bridge `br0`"
        ),
        (
            "multicast MAC", "linux-bridge br0 { members eth0 }\n vm v1 { mac 01:00:5e:00:00:01; attach br0 }",
            "FAB7504", "VM `v1` has MAC 01:00:5e:00:00:01, which libvirt refuses"
        ),
        (
            "one MAC, two VMs",
            "linux-bridge br0 { members eth0 }\n vm v1 { mac 52:54:00:00:00:01; attach br0 }\n vm v2 { mac 52:54:00:00:00:01; attach br0 }",
            "FAB7504", "VMs `v1` and `v2` of host `kvm1` have one MAC, 52:54:00:00:00:01"
        ),
        (
            "one domain, two VMs",
            "linux-bridge br0 { members eth0 }\n vm v1 { domain \"d\"; attach br0 }\n vm v2 { domain \"d\"; attach br0 }",
            "FAB7504", "VMs `v1` and `v2` of host `kvm1` name one libvirt domain, `d`"
        ),
        (
            "a domain like an ID", "linux-bridge br0 { members eth0 }\n vm v1 { domain \"10\"; attach br0 }", "FAB7504",
            "libvirt domain `10` of VM `v1` would be looked up as a domain ID"
        ),
    ])
    func ovsRefusalsAreCaughtAtTheSourceLine(_ name: String, _ body: String, _ code: String, _ message: String) {
        Self.expectRefusal(name, "host kvm1 { platform kvm; address 10.0.0.1\n \(body)\n}\n", code, message)
    }

    /// A host routing its VMs in an IP fabric: each VM's interface is its own.
    @Test(arguments: [
        (
            "two VMs, one interface",
            "vm v1 { ip 203.0.113.10; interface \"tap1\" }\n vm v2 { ip 203.0.113.11; interface \"tap1\" }", "FAB7502",
            "VMs `v1` and `v2` both route through interface `tap1`"
        ),
        (
            "a VM on a bridge member", "linux-bridge br0 { members eth0 }\n vm v1 { ip 203.0.113.10; interface eth0 }",
            "FAB7502", "VM `v1`'s interface `eth0` is a member of Linux bridge `br0`"
        ),
        (
            "an interface name libvirt keeps for itself", "vm v1 { ip 203.0.113.10; interface vnet3 }", "FAB6001",
            "VM `v1`'s interface `vnet3` cannot be"
        ),
        (
            "a VM name too long for an interface", "vm customer-web-frontend-01 { ip 203.0.113.10 }", "FAB6001",
            "VM `customer-web-frontend-01` needs an `interface`: its name cannot name its interface on the host"
        ),
    ])
    func ipFabricRefusals(_ name: String, _ body: String, _ code: String, _ message: String) {
        let source = """
            fabric f { asn 65000; gateway 10.0.0.1 }
            pool public { prefix 203.0.113.0/24 }
            reflector rr1 { address 10.1.0.11 }
            reflector rr2 { address 10.1.0.12 }
            host kvm1 { platform kvm; address 10.1.0.21; reflectors rr1, rr2; pools public
             \(body)
            }

            """
        Self.expectRefusal(name, source, code, message)
    }

    static func expectRefusal(_ name: String, _ source: String, _ code: String, _ message: String) {
        let result = Driver.build(
            "main.fab", options: BuildOptions(backends: ["ovs"]),
            provider: MemorySourceProvider(files: ["/project/main.fab": source]))
        #expect(result.files.isEmpty, "\(name) was written")
        let errors = result.diagnostics.filter { $0.severity == .error }
        #expect(errors.map(\.code.id) == [code], "\(name): \(errors.map(\.message))")
        #expect(errors.first?.message == message, "\(name)")
    }

    @Test func linuxWiringOnAnESXiHostIsRefused() {
        let source =
            "host esx1 { platform esxi; address 10.0.0.1\n veth a { peer b }\n linux-bridge br0 { members a }\n vm v1 { attach br0 }\n}\n"
        let result = Driver.build(
            "main.fab", options: BuildOptions(backends: ["ovs"]),
            provider: MemorySourceProvider(files: ["/project/main.fab": source]))
        #expect(result.files.isEmpty)
        #expect(
            result.diagnostics.filter { $0.severity == .error }.map(\.message) == [
                "ESXi host `esx1` has veth `a`", "ESXi host `esx1` has Linux bridge `br0`",
                "ESXi host `esx1` has VM `v1` attached to a bridge",
            ])
    }

    @Test func hostsWithoutWiringGetNoScript() {
        let source =
            "host kvm1 { platform kvm; address 10.0.0.1 }\nhost kvm2 { platform linux; address 10.0.0.2; vm v { domain \"v\" } }\n"
        let result = Driver.build(
            "main.fab", options: BuildOptions(backends: ["ovs"]),
            provider: MemorySourceProvider(files: ["/project/main.fab": source]))
        #expect(result.diagnostics.filter { $0.severity == .error }.isEmpty, "\(result.diagnostics.map(\.message))")
        #expect(result.files.isEmpty)
    }
}

// MARK: - Helpers

/// One link of `ip -j -d link`, reduced to what the tests compare.
struct Link: Equatable {
    let kind: String?
    let peer: String?
    let master: String?
    let mtu: Int
    let up: Bool
    let ifindex: Int
    let address: String?

    /// What a second run must leave as it was (carrier and timers settle on
    /// their own).
    var stable: [String] { [kind ?? "", peer ?? "", master ?? "", "\(mtu)", "\(up)", "\(ifindex)", address ?? ""] }
}

/// An OVS port's VLAN columns and `external_ids:description`.
struct OVSPortRow: Equatable, CustomStringConvertible {
    let vlanMode: String?
    let tag: Int?
    let trunks: Set<Int>
    let note: String?
    var description: String {
        "vlan_mode=\(vlanMode ?? "[]") tag=\(tag.map(String.init) ?? "[]") trunks=\(trunks.sorted()) description=\(note ?? "none")"
    }
}

/// The Open vSwitch tables after a run, as the tests compare them.
struct OVSState: Equatable {
    struct BridgeRow: Equatable {
        let datapath: String
        let description: String?
        let ports: Set<String>
    }
    var bridges: [String: BridgeRow] = [:]
    var ports: [String: OVSPortRow] = [:]
    var mtuRequests: [String: Int] = [:]
    var interfaceErrors: [String: String] = [:]
}

/// One route of `ip -j route`.
struct RouteRow: Equatable, CustomStringConvertible {
    let destination: String
    let device: String
    let `protocol`: String
    var description: String { "\(destination) dev \(device) proto \(self.protocol)" }
}

/// The files `Tests/live/ovs-live.sh` leaves for one script.
struct LiveRun {
    let out: URL

    static func run(
        _ script: URL, in dir: URL, nics: [String], virsh: FakeVirsh, between: String? = nil, after: String? = nil
    ) throws -> LiveRun {
        let out = dir.appendingPathComponent("out")
        let harness = PackageRoot.url.appendingPathComponent("Tests/live/ovs-live.sh").path
        let (status, output) = try ToolRunner.status(
            "/usr/bin/env",
            [
                "FAKE_VIRSH_STATE=\(virsh.state.path)", "OVS_LIVE_BETWEEN=\(between ?? "")",
                "OVS_LIVE_AFTER=\(after ?? "")",
                "/bin/bash", harness, script.path, out.path,
            ] + nics)
        try #require(status == 0, "ovs-live.sh failed: \(output)")
        return LiveRun(out: out)
    }

    func text(_ name: String) -> String {
        (try? String(contentsOf: out.appendingPathComponent(name), encoding: .utf8)) ?? ""
    }
    func status(_ pass: Int) -> Int? { Int(text("run\(pass).status").trimmingCharacters(in: .whitespacesAndNewlines)) }
    func output(_ pass: Int) -> String { text("run\(pass).out") }

    func links(_ pass: Int) throws -> [String: Link] {
        let array =
            try JSONSerialization.jsonObject(with: Data(text("run\(pass)-links.json").utf8)) as? [[String: Any]] ?? []
        var out: [String: Link] = [:]
        for l in array {
            guard let name = l["ifname"] as? String else { continue }
            let info = l["linkinfo"] as? [String: Any]
            out[name] = Link(
                kind: info?["info_kind"] as? String, peer: l["link"] as? String, master: l["master"] as? String,
                mtu: l["mtu"] as? Int ?? 0, up: (l["flags"] as? [String] ?? []).contains("UP"),
                ifindex: l["ifindex"] as? Int ?? 0, address: l["address"] as? String)
        }
        return out
    }

    /// IPv4 addresses with their prefix length, by interface.
    func addresses(_ pass: Int) throws -> [String: [String]] {
        let array =
            try JSONSerialization.jsonObject(with: Data(text("run\(pass)-addresses.json").utf8)) as? [[String: Any]]
            ?? []
        var out: [String: [String]] = [:]
        for l in array {
            guard let name = l["ifname"] as? String else { continue }
            out[name] = (l["addr_info"] as? [[String: Any]] ?? []).compactMap { a in
                guard let local = a["local"] as? String, let length = a["prefixlen"] as? Int else { return nil }
                return "\(local)/\(length)"
            }
        }
        return out
    }

    /// The main table's IPv4 routes.
    func routes(_ pass: Int) throws -> [RouteRow] {
        let array =
            try JSONSerialization.jsonObject(with: Data(text("run\(pass)-routes.json").utf8)) as? [[String: Any]] ?? []
        return array.map {
            RouteRow(
                destination: $0["dst"] as? String ?? "", device: $0["dev"] as? String ?? "",
                protocol: $0["protocol"] as? String ?? "")
        }
    }

    /// Rows of an `ovs-vsctl --format=json list TABLE` dump, by heading.
    func rows(_ pass: Int, _ table: String) throws -> [[String: Any]] {
        let object =
            try JSONSerialization.jsonObject(with: Data(text("run\(pass)-\(table).json").utf8)) as? [String: Any] ?? [:]
        let headings = object["headings"] as? [String] ?? []
        return (object["data"] as? [[Any]] ?? []).map { Dictionary(uniqueKeysWithValues: zip(headings, $0)) }
    }

    func ovs(_ pass: Int) throws -> OVSState {
        var state = OVSState()
        var portNames: [String: String] = [:]
        for row in try rows(pass, "Port") {
            guard let name = row["name"] as? String, let uuid = Self.uuid(row["_uuid"]) else { continue }
            portNames[uuid] = name
            state.ports[name] = OVSPortRow(
                vlanMode: row["vlan_mode"] as? String, tag: row["tag"] as? Int,
                trunks: Set(Self.set(row["trunks"]).compactMap { $0 as? Int }),
                note: Self.map(row["external_ids"])["description"])
        }
        for row in try rows(pass, "Bridge") {
            guard let name = row["name"] as? String else { continue }
            state.bridges[name] = OVSState.BridgeRow(
                datapath: row["datapath_type"] as? String ?? "",
                description: Self.map(row["external_ids"])["description"],
                ports: Set(Self.set(row["ports"]).compactMap { Self.uuid($0).flatMap { portNames[$0] } }))
        }
        for row in try rows(pass, "Interface") {
            guard let name = row["name"] as? String else { continue }
            if let mtu = row["mtu_request"] as? Int { state.mtuRequests[name] = mtu }
            if let error = row["error"] as? String { state.interfaceErrors[name] = error }
        }
        return state
    }

    /// Every Bridge and Port row's `_uuid` and `_version`, by table and
    /// name: a write that changes nothing leaves both as they were.
    func versions(_ pass: Int) throws -> [String: String] {
        var out: [String: String] = [:]
        for table in ["Bridge", "Port"] {
            for row in try rows(pass, table) {
                guard let name = row["name"] as? String else { continue }
                out["\(table) \(name)"] = "\(Self.uuid(row["_uuid"]) ?? "?") \(Self.uuid(row["_version"]) ?? "?")"
            }
        }
        return out
    }

    // OVSDB's JSON: ["uuid", "…"], ["set", […]] (or one bare element), ["map", [[k, v], …]].
    static func uuid(_ value: Any?) -> String? {
        guard let pair = value as? [Any], pair.first as? String == "uuid" else { return nil }
        return pair.last as? String
    }
    static func set(_ value: Any?) -> [Any] {
        if let pair = value as? [Any], pair.first as? String == "set" { return pair.last as? [Any] ?? [] }
        return value.map { [$0] } ?? []
    }
    static func map(_ value: Any?) -> [String: String] {
        guard let pair = value as? [Any], pair.first as? String == "map", let entries = pair.last as? [[String]] else {
            return [:]
        }
        return Dictionary(entries.compactMap { $0.count == 2 ? ($0[0], $0[1]) : nil }, uniquingKeysWith: { a, _ in a })
    }
}

/// The state folder of `Tests/ovs/fake-virsh`.
struct FakeVirsh {
    struct Interface: Equatable, CustomStringConvertible {
        let source: String
        let model: String
        let mac: String?
        let virtualport: String
        /// `access:ID`, `trunk:ID,ID,…` or `-` (no `<vlan>`).
        var vlan = "-"
        var description: String { "\(source)/\(model)/\(mac ?? "generated MAC")/\(virtualport)/\(vlan)" }
        func withoutGeneratedMAC(keep: Bool) -> Interface {
            Interface(source: source, model: model, mac: keep ? mac : nil, virtualport: virtualport, vlan: vlan)
        }
    }

    let state: URL

    init(in dir: URL, domains: [(name: String, running: Bool)]) throws {
        state = dir.appendingPathComponent("virsh")
        for domain in domains {
            let d = state.appendingPathComponent("domains/\(domain.name)")
            try FileManager.default.createDirectory(at: d, withIntermediateDirectories: true)
            try (domain.running ? "running\n" : "shut off\n").write(
                to: d.appendingPathComponent("state"), atomically: true, encoding: .utf8)
        }
        try FileManager.default.createDirectory(at: state, withIntermediateDirectories: true)
    }

    func log() throws -> [String] {
        ((try? String(contentsOf: state.appendingPathComponent("log"), encoding: .utf8)) ?? "").split(separator: "\n")
            .map(String.init)
    }

    func interfaces(_ domain: String, live: Bool = false) throws -> [Interface] {
        let file = state.appendingPathComponent("domains/\(domain)/\(live ? "live-interfaces" : "interfaces")")
        let text = (try? String(contentsOf: file, encoding: .utf8)) ?? ""
        return text.split(separator: "\n").map { line in
            let f = line.split(separator: " ").map(String.init)
            return Interface(source: f[1], model: f[2], mac: f[3], virtualport: f[4], vlan: f.count > 5 ? f[5] : "-")
        }
    }
}

/// A PATH with stand-ins for the named tools that only log their calls.
struct RecordingTools {
    let bin: URL
    let log: URL

    init(in dir: URL, names: [String]) throws {
        bin = dir.appendingPathComponent("bin")
        log = dir.appendingPathComponent("calls")
        try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
        for name in names {
            let file = bin.appendingPathComponent(name)
            try "#!/bin/sh\nprintf '%s %s\\n' \(name) \"$*\" >>'\(log.path)'\n".write(
                to: file, atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes([.posixPermissions: 0o755], ofItemAtPath: file.path)
        }
        // sed, grep, awk and friends, but none of the tools under test.
        for tool in ["sed", "grep", "awk", "cat", "mktemp", "rm", "printf"] {
            for dir in ["/usr/bin", "/bin"] where FileManager.default.isExecutableFile(atPath: "\(dir)/\(tool)") {
                try? FileManager.default.createSymbolicLink(
                    atPath: bin.appendingPathComponent(tool).path, withDestinationPath: "\(dir)/\(tool)")
                break
            }
        }
    }

    func run(_ script: URL, arguments: [String] = [], environment: [String] = []) throws -> (
        status: Int32, output: String
    ) {
        try ToolRunner.status(
            "/usr/bin/env", ["-i", "PATH=\(bin.path)"] + environment + ["/bin/sh", script.path] + arguments)
    }

    func calls() throws -> [String] {
        ((try? String(contentsOf: log, encoding: .utf8)) ?? "").split(separator: "\n").map(String.init)
    }
}
