import FabricDiagnostics
import FabricSema

/// One POSIX `sh` script per Linux or KVM host with veth pairs, bridges or
/// VM attachments: `ovs/<host>.sh`, running `ip link`, `ovs-vsctl` and
/// `virsh`, re-runnable, with `--dry-run` and environment overrides for the
/// OVS datapath and database. See `docs/backends.md`.
public struct OvsBackend: TemplatedBackend {
    public let name = "ovs"

    public init() {}

    static func wired(_ host: Host, pools: PoolGateways) -> Bool {
        !host.veths.isEmpty || !host.linuxBridges.isEmpty || !host.ovsBridges.isEmpty
            || host.vms.contains { !$0.attach.isEmpty } || host.routesVMs(pools: pools)
    }

    static func hosts(_ ir: FabricIR) -> [Host] {
        let pools = ir.poolGateways
        return ir.hosts.filter { $0.platform != .esxi && wired($0, pools: pools) }
    }

    public func validate(_ ir: FabricIR) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let vlans = OvsVLANs(ir)
        let pools = ir.poolGateways
        for host in ir.hosts where Self.wired(host, pools: pools) {
            switch host.platform {
            case .esxi: diagnostics += esxiProblems(host)
            case .kvm, .linux:
                diagnostics +=
                    wiringProblems(host, pools: pools) + host.ovsBridges.flatMap { $0.ports.flatMap(vlanProblems) }
                diagnostics += vmProblems(host) + mtuProblems(host) + vlans.problems(host)
                diagnostics += OvsMTU(host: host, overlay: ir.settings.overlayMTU).problems()
            }
        }
        return diagnostics
    }

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
            out.append(refuse("VM `\(vm.name)` attached to a bridge", at: vm.attach.first?.span ?? vm.origin.span))
        }
        return out
    }

    /// Every interface has one master, and bridges nest in nothing.
    private func wiringProblems(_ host: Host, pools: PoolGateways) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let linuxBridges = Set(host.linuxBridges.map(\.name))
        let ovsBridges = Set(host.ovsBridges.map(\.name))
        // Both ends of one pair in one bridge loop every broadcast back.
        var pairOf: [String: String] = [:]
        for veth in host.veths {
            pairOf[veth.name] = veth.peer.value
            pairOf[veth.peer.value] = veth.name
        }
        func loops(_ interfaces: [(String, Span)], in bridge: String) {
            var seen: [String: Span] = [:]
            for (interface, span) in interfaces {
                if let peer = pairOf[interface], let first = seen[peer] {
                    out.append(
                        Diagnostic(
                            .ovsWiring, at: span,
                            "both ends of veth pair `\(peer)`/`\(interface)` are in bridge `\(bridge)`"
                        )
                        .labelled("the other end").label(first, "one end")
                        .note("the pair would loop every broadcast back into the bridge")
                        .help("wire the other end into another bridge or namespace"))
                }
                seen[interface] = span
            }
        }
        var owners: [String: (owner: String, span: Span)] = [:]
        func claim(_ interface: String, by owner: String, at span: Span) {
            if let first = owners[interface] {
                out.append(
                    Diagnostic(.ovsWiring, at: span, "`\(interface)` is already \(first.owner)")
                        .labelled("again, \(owner)")
                        .label(first.span, "first here")
                        .note("an interface has one master: one Linux bridge or one OVS bridge")
                        .help("wire `\(interface)` into one bridge; join two bridges with a veth pair"))
            } else {
                owners[interface] = (owner, span)
            }
        }
        for bridge in host.linuxBridges { loops(bridge.members.map { ($0.value, $0.span) }, in: bridge.name) }
        for bridge in host.ovsBridges {
            loops(
                (bridge.uplink.map { [($0.value, $0.span)] } ?? []) + bridge.ports.map { ($0.name, $0.origin.span) },
                in: bridge.name)
        }
        for bridge in host.linuxBridges {
            for (member, span) in bridge.members.map({ ($0.value, $0.span) }) {
                if member == bridge.name {
                    out.append(
                        Diagnostic(.ovsWiring, at: span, "Linux bridge `\(bridge.name)` lists itself as a member")
                            .labelled("itself"))
                } else if ovsBridges.contains(member) {
                    out.append(
                        Diagnostic(
                            .ovsWiring, at: span,
                            "OVS bridge `\(member)` cannot be a member of Linux bridge `\(bridge.name)`"
                        )
                        .labelled("an OVS bridge")
                        .note("a bridge is never a port of another bridge")
                        .help("join the two bridges with a veth pair"))
                } else if linuxBridges.contains(member) {
                    out.append(
                        Diagnostic(
                            .ovsWiring, at: span,
                            "Linux bridge `\(member)` cannot be a member of Linux bridge `\(bridge.name)`"
                        )
                        .labelled("a bridge")
                        .note("the kernel refuses a bridge as a port of another bridge")
                        .help("join the two bridges with a veth pair"))
                } else {
                    claim(member, by: "a member of Linux bridge `\(bridge.name)`", at: span)
                }
            }
        }
        for bridge in host.ovsBridges {
            var named: [(String, Span, String)] = bridge.ports.map {
                ($0.name, $0.origin.span, "a port of OVS bridge `\(bridge.name)`")
            }
            if let uplink = bridge.uplink {
                named.insert((uplink.value, uplink.span, "the uplink of OVS bridge `\(bridge.name)`"), at: 0)
            }
            for (interface, span, owner) in named {
                if interface == bridge.name {
                    out.append(
                        Diagnostic(.ovsWiring, at: span, "OVS bridge `\(bridge.name)` has a port named after itself")
                            .labelled("the bridge's own internal port has this name")
                            .help("rename the port"))
                } else if ovsBridges.contains(interface) {
                    out.append(
                        Diagnostic(.ovsWiring, at: span, "OVS bridge `\(interface)` cannot be \(owner)")
                            .labelled("an OVS bridge")
                            .note("a bridge is never a port of another bridge; Open vSwitch would refuse to create it")
                            .help("join the two bridges with a veth pair"))
                } else if linuxBridges.contains(interface) {
                    out.append(
                        Diagnostic(.ovsWiring, at: span, "Linux bridge `\(interface)` cannot be \(owner)")
                            .labelled("a Linux bridge")
                            .note("a bridge is never a port of another bridge")
                            .help("join the two bridges with a veth pair"))
                } else {
                    claim(interface, by: owner, at: span)
                }
            }
        }
        out += routedInterfaceProblems(host, pools: pools)
        for vm in host.vms {
            var seen: [String: Span] = [:]
            for (bridge, span) in vm.attach.map({ ($0.value, $0.span) }) {
                if let first = seen[bridge] {
                    out.append(
                        Diagnostic(.ovsWiring, at: span, "VM `\(vm.name)` attaches to bridge `\(bridge)` twice")
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

    /// A routed VM's interface is its own: no other VM's, no bridge, veth
    /// end or port of the host (the script would put the gateway on it).
    private func routedInterfaceProblems(_ host: Host, pools: PoolGateways) -> [Diagnostic] {
        // VM names are unique, so default interfaces (the names) cannot
        // clash with each other: only a VM that names its interface, or a
        // host with bridges and veths, needs the tables.
        guard
            host.vms.contains(where: { $0.interface != nil }) || !host.linuxBridges.isEmpty
                || !host.ovsBridges.isEmpty || !host.veths.isEmpty
        else { return [] }
        let routed = host.routedVMs(pools: pools).map { host.vms[$0.index] }
        guard !routed.isEmpty else { return [] }
        var taken: [String: String] = [:]
        for b in host.linuxBridges {
            taken[b.name] = "Linux bridge `\(b.name)`"
            for m in b.members { taken[m.value] = taken[m.value] ?? "a member of Linux bridge `\(b.name)`" }
        }
        for b in host.ovsBridges {
            taken[b.name] = "OVS bridge `\(b.name)`"
            if let u = b.uplink { taken[u.value] = taken[u.value] ?? "the uplink of OVS bridge `\(b.name)`" }
            for p in b.ports { taken[p.name] = taken[p.name] ?? "a port of OVS bridge `\(b.name)`" }
        }
        for v in host.veths {
            taken[v.name] = taken[v.name] ?? "an end of veth pair `\(v.name)`"
            taken[v.peer.value] = taken[v.peer.value] ?? "an end of veth pair `\(v.name)`"
        }
        var out: [Diagnostic] = []
        var vmAt: [String: (vm: String, span: Span)] = [:]
        for vm in routed {
            let i = vm.hostInterface
            if let other = vmAt[i.value] {
                out.append(
                    Diagnostic(
                        .ovsWiring, at: i.span,
                        "VMs `\(other.vm)` and `\(vm.name)` both route through interface `\(i.value)`"
                    )
                    .labelled("again").label(other.span, "first here")
                    .note("each routed VM has its own interface on the host, with the gateway and the route to it")
                    .help("give each VM its own `interface`"))
            } else if let owner = taken[i.value] {
                out.append(
                    Diagnostic(.ovsWiring, at: i.span, "VM `\(vm.name)`'s interface `\(i.value)` is \(owner)")
                        .labelled("the VM's interface on the host")
                        .note("the script would put the anycast gateway and the route to the VM on it")
                        .help("give the VM its own `interface`"))
            } else {
                vmAt[i.value] = (vm.name, i.span)
            }
        }
        return out
    }

    /// What libvirt refuses, or the script could not tell apart.
    private func vmProblems(_ host: Host) -> [Diagnostic] {
        var out: [Diagnostic] = []
        var macs: [UInt64: (vm: String, span: Span)] = [:]
        var domains: [String: (vm: String, span: Span)] = [:]
        for vm in host.vms where !vm.attach.isEmpty {
            if let mac = vm.mac {
                if mac.value >> 40 & 1 == 1 || mac.value == 0 {
                    out.append(
                        Diagnostic(.ovsVM, at: vm.origin.span, "VM `\(vm.name)` has MAC \(mac), which libvirt refuses")
                            .labelled(mac.value == 0 ? "all zero" : "a multicast address (the first octet is odd)")
                            .help("use a unicast MAC, such as one under 52:54:00 (the prefix libvirt uses)"))
                } else if let first = macs[mac.value] {
                    out.append(
                        Diagnostic(
                            .ovsVM, at: vm.origin.span,
                            "VMs `\(first.vm)` and `\(vm.name)` of host `\(host.name)` have one MAC, \(mac)"
                        )
                        .labelled("second VM").label(first.span, "first VM")
                        .help("give each VM its own MAC"))
                } else {
                    macs[mac.value] = (vm.name, vm.origin.span)
                }
            }
            let domain = vm.domain?.value ?? vm.name
            let span = vm.domain?.span ?? vm.origin.span
            if let first = domains[domain] {
                out.append(
                    Diagnostic(
                        .ovsVM, at: span,
                        "VMs `\(first.vm)` and `\(vm.name)` of host `\(host.name)` name one libvirt domain, `\(domain)`"
                    )
                    .labelled("second VM").label(first.span, "first VM")
                    .note("the script would take the second VM's interfaces for the first's, already attached")
                    .help("give each VM its own `domain`"))
            } else {
                domains[domain] = (vm.name, span)
            }
            if domain.allSatisfy(\.isNumber) || Self.looksLikeUUID(domain) {
                out.append(
                    Diagnostic(
                        .ovsVM, at: span,
                        "libvirt domain `\(domain)` of VM `\(vm.name)` would be looked up as a domain \(domain.allSatisfy(\.isNumber) ? "ID" : "UUID")"
                    )
                    .labelled("virsh tries IDs and UUIDs before names")
                    .help("name the domain as libvirt lists it (`virsh list --all --name`)"))
            }
        }
        return out
    }

    static func looksLikeUUID(_ s: String) -> Bool {
        let hex = s.filter { $0 != "-" }
        return hex.count == 32 && hex.allSatisfy(\.isHexDigit)
            && (s.count == 32 || s.split(separator: "-").map(\.count) == [8, 4, 4, 4, 12])
    }

    /// A stated bridge MTU above a veth member's (1500 when unstated).
    private func mtuProblems(_ host: Host) -> [Diagnostic] {
        let vethMTU = OvsMTU.vethMTU(host)
        var out: [Diagnostic] = []
        func check(_ bridge: String, _ mtu: Int?, at bridgeSpan: Span, _ members: [(String, Span)]) {
            guard let mtu else { return }
            for (member, span) in members {
                guard let memberMTU = vethMTU[member], memberMTU < mtu else { continue }
                out.append(
                    Diagnostic(
                        .ovsMTU, at: span, "bridge `\(bridge)` has MTU \(mtu), its member `\(member)` \(memberMTU)"
                    )
                    .labelled("MTU \(memberMTU)").label(bridgeSpan, "MTU \(mtu)")
                    .help("give the veth `mtu \(mtu)`, or lower the bridge's MTU"))
            }
        }
        for b in host.linuxBridges { check(b.name, b.mtu, at: b.origin.span, b.members.map { ($0.value, $0.span) }) }
        for b in host.ovsBridges { check(b.name, b.mtu, at: b.origin.span, b.ports.map { ($0.name, $0.origin.span) }) }
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
                out.append(
                    Diagnostic(.ovsVLAN, at: span, "\(mode) port `\(port.name)` has no `tag`")
                        .labelled("needs a tag")
                        .note(
                            port.vlanMode == .access || port.vlanMode == .dot1qTunnel
                                ? "the tag is the one VLAN the port carries untagged"
                                : "the tag is the native VLAN untagged frames belong to"
                        )
                        .help("add `tag N`"))
            }
            if port.vlanMode == .dot1qTunnel, !port.trunks.isEmpty {
                out.append(
                    Diagnostic(.ovsVLAN, at: span, "dot1q-tunnel port `\(port.name)` has `trunks`")
                        .labelled("not used by a dot1q-tunnel port")
                        .note("a dot1q-tunnel port carries its customers' VLANs inside the service VLAN `tag`")
                        .help("remove `trunks`"))
            }
            return out
        case nil:
            guard port.tag != nil, !port.trunks.isEmpty else { return [] }
            return [
                Diagnostic(.ovsVLAN, at: span, "port `\(port.name)` has `tag` and `trunks` but no `vlan-mode`")
                    .labelled("Open vSwitch would make it an access port and ignore `trunks`")
                    .help("say `vlan-mode native-untagged` or `native-tagged` for a trunk with a native VLAN")
            ]
        case .trunk?:
            return []
        }
    }

    public func generate(_ input: BackendInput) -> BackendOutput {
        // Each host's script is built and laid out on its own, on every
        // core, in host order; then the fabric's table.
        // The table's rows come from the same per-host pass (every host that
        // routes VMs is wired, so has a script).
        let builder = OvsScriptBuilder(input: input)
        var output = BackendOutput()
        let perHost = ParallelRender.map(Self.hosts(input.ir)) { host in
            let routed = host.routedVMs(pools: builder.pools)
            return ([Self.layout(host, builder, routed: routed)].rendered(), builder.tableRows(routed))
        }
        for (files, _) in perHost { output.files += files.files }
        if let table = builder.routedVMTable(rows: perHost.map(\.1)) {
            output.files += [Self.layout(table)].rendered().files
        }
        return output
    }

    static func layout(_ host: Host, _ builder: OvsScriptBuilder, routed: [RoutedVM]) -> TemplateLayout {
        TemplateLayout(path: "ovs/\(host.name).sh", template: "ovs/script", model: builder.script(host, routed: routed))
    }

    static func layout(_ table: OvsRoutedVMTable) -> TemplateLayout {
        TemplateLayout(path: "ovs/routed-vms", template: "ovs/routed-vms", model: table)
    }

    var templates: [String] { ["script", "routed-vms"] }

    func layouts(_ input: BackendInput) -> [TemplateLayout] {
        let builder = OvsScriptBuilder(input: input)
        var layouts = Self.hosts(input.ir).map { Self.layout($0, builder, routed: $0.routedVMs(pools: builder.pools)) }
        if let table = builder.routedVMTable() { layouts.append(Self.layout(table)) }
        return layouts
    }
}
