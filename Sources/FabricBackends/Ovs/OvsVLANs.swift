import FabricDiagnostics
import FabricSema

/// Which VLANs each OVS port and each VM interface on an OVS bridge carries,
/// and the checks that keep tenants apart: Open vSwitch makes a port with no
/// `tag` and no `trunks` a trunk of every VLAN, so nothing here is left to
/// that default.
struct OvsVLANs {
    let clouds: [String: Cloud]
    let networks: [String: Network]
    let pools: [String: Pool]

    init(_ ir: FabricIR) {
        clouds = Dictionary(ir.clouds.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        networks = Dictionary(ir.networks.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        pools = Dictionary(ir.pools.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    /// What a VM's interface on an OVS bridge carries.
    enum VMVLAN: Equatable {
        /// Untagged to the VM, in this VLAN (its subnet's).
        case access(Int)
        /// Tagged, these VLANs (a cloud's tenant range).
        case trunk([ClosedRange<Int>])
    }

    /// A port's trunks: as written, else its cloud's tenant range.
    func trunks(_ port: OVSPort) -> [ClosedRange<Int>] {
        if !port.trunks.isEmpty { return port.trunks }
        return port.carries.flatMap { clouds[$0.value]?.vlans.map { [$0.value] } } ?? []
    }

    /// A VM's interface: its cloud's range when it `carries` one, else its
    /// subnet's VLAN (its network's, else its pool's); nil when the intent
    /// says neither.
    func vlan(of vm: VM) -> VMVLAN? {
        if let cloud = vm.carries, let range = clouds[cloud.value]?.vlans { return .trunk([range.value]) }
        if let n = vm.network, let v = networks[n]?.vlan, v > 0 { return .access(v) }
        if vm.network == nil, let p = vm.pool, let v = pools[p]?.vlan, v > 0 { return .access(v) }
        return nil
    }

    /// Whether Open vSwitch would trunk the port: a trunk or native mode, or
    /// no mode and no tag.
    static func trunks(_ mode: VLANMode?, tag: Int?) -> Bool {
        switch mode {
        case .trunk?, .nativeTagged?, .nativeUntagged?: true
        case nil: tag == nil
        case .access?, .dot1qTunnel?: false
        }
    }

    func problems(_ host: Host) -> [Diagnostic] {
        var out: [Diagnostic] = []
        for bridge in host.ovsBridges {
            for port in bridge.ports { out += problems(port, on: bridge) }
        }
        let ovsBridges = Set(host.ovsBridges.map(\.name))
        for vm in host.vms {
            guard let bridge = vm.attach.first(where: { ovsBridges.contains($0.value) }) else { continue }
            if vlan(of: vm) == nil {
                out.append(
                    Diagnostic(
                        .ovsVLAN, at: bridge.span,
                        "VM `\(vm.name)` on OVS bridge `\(bridge.value)` does not say which VLANs it carries"
                    )
                    .labelled("Open vSwitch would trunk every VLAN to it")
                    .note(
                        "a VM's interface carries its subnet's VLAN (its `network`'s or `pool`'s `vlan`), or the VLANs of the cloud it `carries`"
                    )
                    .help("give its network a `vlan`, or say `carries CLOUD` for a nested compute node"))
            }
            if let cloud = vm.carries { out += cloudProblems(cloud, what: "VM `\(vm.name)`") }
        }
        return out
    }

    private func problems(_ port: OVSPort, on bridge: OVSBridge) -> [Diagnostic] {
        var out: [Diagnostic] = []
        let trunked = Self.trunks(port.vlanMode, tag: port.tag)
        if trunked, trunks(port).isEmpty {
            out.append(
                Diagnostic(.ovsVLAN, at: port.origin.span, "port `\(port.name)` of `\(bridge.name)` carries every VLAN")
                    .labelled(
                        port.vlanMode == nil
                            ? "no `tag` and no `trunks`: Open vSwitch trunks every VLAN" : "a trunk without `trunks`"
                    )
                    .help(
                        "list its `trunks`, say `carries CLOUD` for a cloud's tenant range, or give it `vlan-mode access` and a `tag`"
                    ))
        }
        guard let carried = port.carries else { return out }
        out += cloudProblems(carried, what: "port `\(port.name)`")
        guard let cloud = clouds[carried.value], let range = cloud.vlans?.value else { return out }
        // What it carries beyond its cloud's range: another cloud's VLANs
        // (nested ones must never meet on a wire), or nobody's.
        var carriedVLANs: [(ClosedRange<Int>, String)] = port.trunks.map { ($0, "trunks") }
        if let tag = port.tag, tag > 0 { carriedVLANs.append((tag...tag, "tag")) }
        for (vlans, what) in carriedVLANs where !(range.contains(vlans.lowerBound) && range.contains(vlans.upperBound))
        {
            if let (outer, overlap) = nestingOverlap(cloud, vlans) {
                out.append(
                    Diagnostic(
                        .nestedVLANOverlap, at: port.origin.span,
                        "port `\(port.name)` carries cloud `\(cloud.name)` and VLANs \(Self.text(overlap)) of cloud `\(outer.name)`, which `\(cloud.name)` is nested in"
                    )
                    .labelled("its \(what) \(Self.text(vlans))")
                    .label(carried.span, "carries `\(cloud.name)`: \(Self.text(range))")
                    .note(
                        "inner tenant VLANs travel the outer cloud's trunk: if the ranges meet on a wire, tenants of the two clouds share a VLAN"
                    )
                    .help("keep its \(what) inside \(Self.text(range))"))
            } else {
                out.append(
                    Diagnostic(
                        .ovsVLAN, at: port.origin.span,
                        "port `\(port.name)` carries cloud `\(cloud.name)` but its \(what) \(Self.text(vlans)) leave that cloud's range"
                    )
                    .labelled("outside \(Self.text(range))")
                    .label(carried.span, "carries `\(cloud.name)`")
                    .help("keep its \(what) inside \(Self.text(range)), or drop them and let `carries` give the range"))
            }
        }
        return out
    }

    /// A cloud without a `vlan-range` gives no VLANs to carry.
    private func cloudProblems(_ carried: Located<String>, what: String) -> [Diagnostic] {
        guard let cloud = clouds[carried.value], cloud.vlans == nil else { return [] }
        return [
            Diagnostic(.ovsVLAN, at: carried.span, "\(what) carries cloud `\(cloud.name)`, which has no `vlan-range`")
                .labelled("no VLANs to carry")
                .help("give `\(cloud.name)` its `vlan-range`")
        ]
    }

    /// The first cloud `cloud` is nested in (however deep) whose range meets `vlans`.
    private func nestingOverlap(_ cloud: Cloud, _ vlans: ClosedRange<Int>) -> (Cloud, ClosedRange<Int>)? {
        var seen: Set<String> = [cloud.name]
        var current = cloud.nestedIn
        while let name = current, seen.insert(name).inserted, let outer = clouds[name] {
            if let range = outer.vlans?.value, range.overlaps(vlans) {
                return (outer, max(range.lowerBound, vlans.lowerBound)...min(range.upperBound, vlans.upperBound))
            }
            current = outer.nestedIn
        }
        return nil
    }

    static func text(_ r: ClosedRange<Int>) -> String {
        r.lowerBound == r.upperBound ? "\(r.lowerBound)" : "\(r.lowerBound)..\(r.upperBound)"
    }
}
