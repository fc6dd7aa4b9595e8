import FabricDiagnostics
import FabricSema

/// One POSIX `sh` script per ESXi host with standard vSwitches:
/// `esxi/<host>.sh`, running `esxcli network vswitch standard …` with long
/// flags, re-runnable, with `--dry-run`. See `docs/backends.md`.
public struct EsxiBackend: TemplatedBackend {
    public let name = "esxi"

    public init() {}

    static func hosts(_ ir: FabricIR) -> [Host] { ir.hosts.filter { $0.platform == .esxi && !$0.vswitches.isEmpty } }

    /// ESXi's bounds for a standard vSwitch's MTU.
    static let mtuRange = 1280...9000

    public func validate(_ ir: FabricIR) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let networks = Dictionary(ir.networks.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let pools = Dictionary(ir.pools.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        for host in Self.hosts(ir) {
            diagnostics += vlanProblems(host, networks: networks, pools: pools)
            // A physical NIC is the uplink of at most one standard vSwitch.
            var uplinkOwners: [String: (vswitch: String, span: Span)] = [:]
            for vswitch in host.vswitches {
                if let problem = Self.listProblem(vswitch.name) {
                    diagnostics.append(name(problem, "vSwitch `\(vswitch.name)`", at: vswitch.origin.span))
                }
                if let located = vswitch.mtu, !Self.mtuRange.contains(located.value) {
                    let mtu = located.value
                    diagnostics.append(
                        Diagnostic(
                            .esxiMTU, at: located.span, "vSwitch `\(vswitch.name)` has MTU \(mtu), which ESXi refuses"
                        )
                        .labelled("not within \(Self.mtuRange.lowerBound)–\(Self.mtuRange.upperBound)")
                        .help(
                            "choose an MTU from \(Self.mtuRange.lowerBound) to \(Self.mtuRange.upperBound), such as 1500 or 9000"
                        ))
                }
                for (uplink, span) in vswitch.uplinks.map({ ($0.value, $0.span) }) {
                    if let problem = Self.listProblem(uplink) {
                        diagnostics.append(name(problem, "uplink `\(uplink)`", at: span))
                    }
                    if let owner = uplinkOwners[uplink] {
                        let again = owner.vswitch == vswitch.name
                        diagnostics.append(
                            Diagnostic(
                                .esxiUplink, at: span,
                                again
                                    ? "vSwitch `\(vswitch.name)` lists uplink `\(uplink)` twice"
                                    : "uplink `\(uplink)` of vSwitch `\(vswitch.name)` is already an uplink of vSwitch `\(owner.vswitch)`"
                            )
                            .labelled(again ? "again" : "second vSwitch")
                            .label(owner.span, "first here")
                            .note(
                                again
                                    ? "esxcli adds an uplink once"
                                    : "a physical NIC serves one standard vSwitch; esxcli refuses to add it to a second"
                            )
                            .help(again ? "remove the repeated name" : "give each vSwitch its own NICs"))
                    } else {
                        uplinkOwners[uplink] = (vswitch.name, span)
                    }
                }
                for group in vswitch.portGroups {
                    if let problem = Self.listProblem(group.name) {
                        diagnostics.append(name(problem, "port group `\(group.name)`", at: group.origin.span))
                    }
                }
                let policies =
                    [(vswitch.failover, "vSwitch `\(vswitch.name)`")]
                    + vswitch.portGroups.map { ($0.failover, "port group `\($0.name)`") }
                for case (let failover?, let owner) in policies {
                    diagnostics += uplinkProblems(failover, owner: owner, vswitch)
                }
                if let own = vswitch.failover {
                    diagnostics += ipHashProblems(own, owner: "vSwitch `\(vswitch.name)`", at: vswitch.origin.span)
                }
                for group in vswitch.portGroups {
                    diagnostics += inheritedIPHashProblems(group, vswitch)
                }
            }
        }
        return diagnostics
    }

    /// A VM's subnet is on one VLAN; its port group must carry that VLAN
    /// (or be a trunk, VLAN 4095, where the guest tags its own frames).
    private func vlanProblems(_ host: Host, networks: [String: Network], pools: [String: Pool]) -> [Diagnostic] {
        var groups: [String: PortGroup] = [:]
        for vswitch in host.vswitches { for g in vswitch.portGroups { groups[g.name] = groups[g.name] ?? g } }
        var out: [Diagnostic] = []
        for vm in host.vms {
            guard let attached = vm.portgroup, let group = groups[attached.value], group.vlan.value != 4095 else {
                continue
            }
            let subnet: (kind: String, name: String, vlan: Int)? =
                if let n = vm.network, let v = networks[n]?.vlan {
                    ("network", n, v)
                } else if vm.network == nil, let p = vm.pool, let v = pools[p]?.vlan { ("pool", p, v) } else { nil }
            guard let subnet, subnet.vlan != group.vlan.value else { continue }
            let carries = group.vlan.value == 0 ? "no VLAN (untagged)" : "VLAN \(group.vlan.value)"
            out.append(
                Diagnostic(
                    .esxiVLAN, at: attached.span,
                    "VM `\(vm.name)` is on \(subnet.kind) `\(subnet.name)` of VLAN \(subnet.vlan), but port group `\(group.name)` carries \(carries)"
                )
                .labelled("VLAN \(subnet.vlan) expected")
                .label(group.vlan.span, "port group `\(group.name)`: \(carries)")
                .help("attach it to a port group of VLAN \(subnet.vlan), or give the port group `vlan \(subnet.vlan)`"))
        }
        return out
    }

    /// The script reads uplinks and port groups back from `esxcli`'s
    /// comma-separated lists, trimmed: a `,` or an outer space would be ambiguous.
    static func listProblem(_ name: String) -> String? {
        if name.contains(",") { return "holds `,`, which separates names in esxcli's lists" }
        if name.first == " " || name.last == " " { return "starts or ends with a space" }
        return nil
    }

    private func name(_ problem: String, _ what: String, at span: Span) -> Diagnostic {
        Diagnostic(.esxiName, at: span, "\(what) cannot be written into an esxcli script")
            .labelled(problem)
            .help("rename it with letters, digits, `-`, `_` and inner spaces")
    }

    /// IP-hash teaming takes no standby uplinks: the failover's own.
    private func ipHashProblems(_ failover: Failover, owner: String, at fallback: Span) -> [Diagnostic] {
        guard failover.loadBalancing == .ipHash, !failover.standby.isEmpty else { return [] }
        return [ipHashStandby(owner, at: standbySpan(failover) ?? fallback)]
    }

    /// A port group inherits from its vSwitch what it does not set itself:
    /// the load balancing, and the failover order as a whole. Reported at
    /// the port group unless the vSwitch's own block already is the problem.
    private func inheritedIPHashProblems(_ group: PortGroup, _ vswitch: VSwitch) -> [Diagnostic] {
        let own = group.failover
        let setsOrder = own.map { !$0.active.isEmpty || !$0.standby.isEmpty } ?? false
        let order = setsOrder ? own : vswitch.failover
        let loadBalancing = own?.loadBalancing ?? vswitch.failover?.loadBalancing
        guard loadBalancing == .ipHash, let order, !order.standby.isEmpty else { return [] }
        let owner = "port group `\(group.name)`"
        switch (setsOrder, own?.loadBalancing == .ipHash) {
        case (true, true):
            return [ipHashStandby(owner, at: standbySpan(order) ?? group.origin.span)]
        case (true, false):
            // Its standby uplinks meet the vSwitch's ip-hash.
            return [
                ipHashStandby(owner, at: standbySpan(order) ?? group.origin.span)
                    .note("it inherits `load-balancing ip-hash` from vSwitch `\(vswitch.name)`")
            ]
        case (false, _):
            // Its ip-hash (or the vSwitch's) meets the vSwitch's standby uplinks.
            guard own?.loadBalancing == .ipHash else { return [] }  // the vSwitch's own block: reported there
            var d = ipHashStandby(owner, at: group.origin.span)
            if let span = standbySpan(order) { d = d.label(span, "standby on vSwitch `\(vswitch.name)`, inherited") }
            return [d.note("it inherits the failover order of vSwitch `\(vswitch.name)`, which has standby uplinks")]
        }
    }

    private func standbySpan(_ failover: Failover) -> Span? {
        failover.standby.first?.span
    }

    private func ipHashStandby(_ owner: String, at span: Span) -> Diagnostic {
        Diagnostic(.esxiUplink, at: span, "\(owner) has standby uplinks with `load-balancing ip-hash`")
            .labelled("standby")
            .note("IP-hash teaming spreads traffic over every active uplink; ESXi supports no standby uplinks with it")
            .help("make every uplink active, or choose `port-id` or `mac`")
    }

    /// esxcli refuses a teaming order naming an uplink the vSwitch does not
    /// have, and an uplink both active and standby.
    private func uplinkProblems(_ failover: Failover, owner: String, _ vswitch: VSwitch) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let named = failover.active + failover.standby
        let uplinks = vswitch.uplinks.map(\.value)
        var seen: Set<String> = []
        for (uplink, span) in named.map({ ($0.value, $0.span) }) {
            if !uplinks.contains(uplink) {
                var d = Diagnostic(
                    .esxiUplink, at: span,
                    "\(owner) fails over to `\(uplink)`, which is not an uplink of vSwitch `\(vswitch.name)`"
                )
                .labelled("not in `uplinks`")
                if let first = vswitch.uplinks.first { d = d.label(first.span, "the vSwitch's uplinks") }
                diagnostics.append(
                    d.help(
                        "add `\(uplink)` to the vSwitch's `uplinks`, or name one of \(uplinks.isEmpty ? "its uplinks (it has none)" : uplinks.map { "`\($0)`" }.joined(separator: ", "))"
                    ))
            } else if !seen.insert(uplink).inserted {
                diagnostics.append(
                    Diagnostic(.esxiUplink, at: span, "\(owner) names uplink `\(uplink)` twice in its failover order")
                        .labelled("already active or standby")
                        .help("list each uplink once, as active or as standby"))
            }
        }
        return diagnostics
    }

    public func generate(_ input: BackendInput) -> BackendOutput {
        layouts(input).rendered()
    }

    var templates: [String] { ["script"] }

    func layouts(_ input: BackendInput) -> [TemplateLayout] {
        let builder = EsxiScriptBuilder(input: input)
        return Self.hosts(input.ir).map { host in
            TemplateLayout(path: "esxi/\(host.name).sh", template: "esxi/script", model: builder.script(host))
        }
    }
}
