import FabricDiagnostics
import FabricSema

/// One POSIX `sh` script per Linux or KVM host with veth pairs, bridges or
/// VM attachments: `ovs/<host>.sh`, running `ip link`, `ovs-vsctl` and
/// `virsh`, re-runnable, with `--dry-run` and environment overrides for the
/// OVS datapath and database. See `docs/backends.md`.
public struct OvsBackend: Backend {
    public let name = "ovs"

    public init() {}

    static func wired(_ host: Host) -> Bool {
        !host.veths.isEmpty || !host.linuxBridges.isEmpty || !host.ovsBridges.isEmpty || host.vms.contains { !$0.attach.isEmpty }
    }

    static func hosts(_ ir: FabricIR) -> [Host] { ir.hosts.filter { $0.platform != .esxi && wired($0) } }

    public func validate(_ ir: FabricIR) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for host in ir.hosts where wired(host) {
            switch host.platform {
            case .esxi: diagnostics += esxiProblems(host)
            case .kvm, .linux: diagnostics += wiringProblems(host) + host.ovsBridges.flatMap { $0.ports.flatMap(vlanProblems) }
            }
        }
        return diagnostics
    }

    private func wired(_ host: Host) -> Bool { Self.wired(host) }

    private func esxiProblems(_ host: Host) -> [Diagnostic] {
        func refuse(_ what: String, at span: Span) -> Diagnostic {
            Diagnostic(.ovsPlatform, at: span, "ESXi host `\(host.name)` has \(what)")
                .labelled("only Linux and KVM hosts are wired with ip, ovs-vsctl and virsh")
                .help("use a `vswitch` with port groups on an ESXi host, or make it `platform kvm` or `linux`")
        }
        var out = host.veths.map { refuse("veth `\($0.name)`", at: $0.origin.span) }
        out += host.linuxBridges.map { refuse("Linux bridge `\($0.name)`", at: $0.origin.span) }
        out += host.ovsBridges.map { refuse("OVS bridge `\($0.name)`", at: $0.origin.span) }
        for vm in host.vms where !vm.attach.isEmpty {
            out.append(refuse("VM `\(vm.name)` attached to a bridge", at: vm.attachSpans.first ?? vm.origin.span))
        }
        return out
    }

    /// Every interface has one master, and bridges nest in nothing.
    private func wiringProblems(_ host: Host) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let linuxBridges = Set(host.linuxBridges.map(\.name))
        var owners: [String: (owner: String, span: Span)] = [:]
        func claim(_ interface: String, by owner: String, at span: Span) {
            if let first = owners[interface] {
                out.append(Diagnostic(.ovsWiring, at: span, "`\(interface)` is already \(first.owner)")
                    .labelled("again, \(owner)")
                    .label(first.span, "first here")
                    .note("an interface has one master: one Linux bridge or one OVS bridge")
                    .help("wire `\(interface)` into one bridge; join two bridges with a veth pair"))
            } else {
                owners[interface] = (owner, span)
            }
        }
        for bridge in host.linuxBridges {
            for (member, span) in zip(bridge.members, bridge.memberSpans) {
                if member == bridge.name {
                    out.append(Diagnostic(.ovsWiring, at: span, "Linux bridge `\(bridge.name)` lists itself as a member").labelled("itself"))
                } else if linuxBridges.contains(member) {
                    out.append(Diagnostic(.ovsWiring, at: span, "Linux bridge `\(member)` cannot be a member of Linux bridge `\(bridge.name)`")
                        .labelled("a bridge")
                        .note("the kernel refuses a bridge as a port of another bridge")
                        .help("join the two bridges with a veth pair"))
                } else {
                    claim(member, by: "a member of Linux bridge `\(bridge.name)`", at: span)
                }
            }
        }
        for bridge in host.ovsBridges {
            var named: [(String, Span, String)] = bridge.ports.map { ($0.name, $0.origin.span, "a port of OVS bridge `\(bridge.name)`") }
            if let uplink = bridge.uplink { named.insert((uplink, bridge.uplinkSpan ?? bridge.origin.span, "the uplink of OVS bridge `\(bridge.name)`"), at: 0) }
            for (interface, span, owner) in named {
                if interface == bridge.name {
                    out.append(Diagnostic(.ovsWiring, at: span, "OVS bridge `\(bridge.name)` has a port named after itself")
                        .labelled("the bridge's own internal port has this name")
                        .help("rename the port"))
                } else if linuxBridges.contains(interface) {
                    out.append(Diagnostic(.ovsWiring, at: span, "Linux bridge `\(interface)` cannot be \(owner)")
                        .labelled("a Linux bridge")
                        .note("a bridge is never a port of another bridge")
                        .help("join the two bridges with a veth pair"))
                } else {
                    claim(interface, by: owner, at: span)
                }
            }
        }
        for vm in host.vms {
            var seen: [String: Span] = [:]
            for (bridge, span) in zip(vm.attach, vm.attachSpans) {
                if let first = seen[bridge] {
                    out.append(Diagnostic(.ovsWiring, at: span, "VM `\(vm.name)` attaches to bridge `\(bridge)` twice")
                        .labelled("again").label(first, "first here")
                        .note("the script gives a VM one interface per bridge it names")
                        .help("name each bridge once"))
                } else {
                    seen[bridge] = span
                }
            }
        }
        return out
    }

    /// Open vSwitch reads `vlan_mode`, `tag` and `trunks` together.
    private func vlanProblems(_ port: OVSPort) -> [Diagnostic] {
        let span = port.origin.span
        switch port.vlanMode {
        case .access?, .nativeTagged?, .nativeUntagged?, .dot1qTunnel?:
            let mode = port.vlanMode!.rawValue
            var out: [Diagnostic] = []
            if port.tag == nil {
                out.append(Diagnostic(.ovsVLAN, at: span, "\(mode) port `\(port.name)` has no `tag`")
                    .labelled("needs a tag")
                    .note(port.vlanMode == .access || port.vlanMode == .dot1qTunnel
                          ? "the tag is the one VLAN the port carries untagged" : "the tag is the native VLAN untagged frames belong to")
                    .help("add `tag N`"))
            }
            if port.vlanMode == .dot1qTunnel, !port.trunks.isEmpty {
                out.append(Diagnostic(.ovsVLAN, at: span, "dot1q-tunnel port `\(port.name)` has `trunks`")
                    .labelled("not used by a dot1q-tunnel port")
                    .note("a dot1q-tunnel port carries its customers' VLANs inside the service VLAN `tag`")
                    .help("remove `trunks`"))
            }
            return out
        case nil:
            guard port.tag != nil, !port.trunks.isEmpty else { return [] }
            return [Diagnostic(.ovsVLAN, at: span, "port `\(port.name)` has `tag` and `trunks` but no `vlan-mode`")
                .labelled("Open vSwitch would make it an access port and ignore `trunks`")
                .help("say `vlan-mode native-untagged` or `native-tagged` for a trunk with a native VLAN")]
        case .trunk?:
            return []
        }
    }

    public func generate(_ input: BackendInput) -> BackendOutput {
        let builder = OvsScriptBuilder(input: input)
        return BackendOutput(files: Self.hosts(input.ir).map { host in
            GeneratedFile(path: "ovs/\(host.name).sh", contents: TemplateLibrary.render(builder.script(host), template: "ovs/script"))
        })
    }
}
