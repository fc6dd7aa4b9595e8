import FabricBase
import FabricSema

/// The L2 view: per host, its uplinks, bridges (Linux and Open vSwitch),
/// OVS ports with their tags and trunks, veth pairs, vSwitches with their
/// port groups and VLANs, and the VMs on them. The VMs of one attachment
/// beyond `collapseAbove` become one node with their count.
public enum L2Picture {
    public static func graph(_ ir: FabricIR, collapseAbove: Int) -> DOTGraph {
        var g = DOTGraph(name: "\(ir.settings.name) L2", label: "\(ir.settings.name): hosts, bridges, ports and VLANs")
        let vlans = VLANOf(ir)
        // Above the threshold, hosts wired alike are drawn once, with counts.
        var groups: [(host: Host, members: [Host])] = []
        if ir.hosts.count > collapseAbove {
            var index: [String: Int] = [:]
            for h in ir.hosts {
                let key = signature(h)
                if let k = index[key] {
                    groups[k].members.append(h)
                } else {
                    index[key] = groups.count
                    groups.append((h, [h]))
                }
            }
        } else {
            groups = ir.hosts.map { ($0, [$0]) }
        }
        for (h, members) in groups {
            let names =
                members.count == 1
                ? [h.name]
                : [
                    members.map(\.name).min(by: BGPPicture.naturalOrder)!,
                    members.map(\.name).max(by: BGPPicture.naturalOrder)!,
                ]
            var c =
                members.count == 1
                ? DOTGraph.Cluster(id: "host:\(h.name)", label: "\(h.name) (\(h.platform.rawValue))")
                : DOTGraph.Cluster(
                    id: "hosts:\(h.name)",
                    label:
                        "\(names.first!)…\(names.last!) (\(h.platform.rawValue)): \(members.count) hosts wired alike, drawn once"
                )
            c.attributes["style"] = "rounded"
            var interfaces = Set<String>()
            func interface(_ name: String) -> String {
                let id = "if:\(h.name):\(name)"
                if interfaces.insert(name).inserted {
                    c.nodes.append(
                        .init(
                            id: id, label: [name],
                            attributes: ["shape": "cds", "style": "filled", "fillcolor": "\"#fff5eb\""]))
                }
                return id
            }
            // Where a VM attaches: bridge or port group ids by name.
            var attachPoints: [String: String] = [:]
            for b in h.linuxBridges {
                let id = "br:\(h.name):\(b.name)"
                attachPoints[b.name] = id
                c.nodes.append(
                    .init(
                        id: id, label: [b.name, "Linux bridge"] + (b.mtu.map { ["MTU \($0)"] } ?? []),
                        attributes: ["shape": "box", "style": "filled", "fillcolor": "\"#deebf7\""]))
                for m in b.members { g.edges.append(.init(from: id, to: interface(m.value))) }
            }
            for b in h.ovsBridges {
                let id = "ovs:\(h.name):\(b.name)"
                attachPoints[b.name] = id
                c.nodes.append(
                    .init(
                        id: id, label: [b.name, "Open vSwitch bridge"] + (b.mtu.map { ["MTU \($0)"] } ?? []),
                        attributes: ["shape": "box", "style": "filled", "fillcolor": "\"#c6dbef\""]))
                if let u = b.uplink { g.edges.append(.init(from: id, to: interface(u.value), label: ["uplink"])) }
                for p in b.ports {
                    let pid = "port:\(h.name):\(b.name):\(p.name)"
                    c.nodes.append(
                        .init(id: pid, label: [p.name] + portVLANs(p), attributes: ["shape": "box", "fontsize": "9"]))
                    g.edges.append(.init(from: id, to: pid))
                }
            }
            for v in h.veths {
                g.edges.append(
                    .init(
                        from: interface(v.name), to: interface(v.peer.value), label: ["veth"],
                        attributes: ["style": "bold"]))
            }
            for s in h.vswitches {
                let id = "vsw:\(h.name):\(s.name)"
                c.nodes.append(
                    .init(
                        id: id, label: [s.name, "vSwitch"] + (s.mtu.map { ["MTU \($0.value)"] } ?? []),
                        attributes: ["shape": "box", "style": "filled", "fillcolor": "\"#c6dbef\""]))
                for u in s.uplinks { g.edges.append(.init(from: id, to: interface(u.value), label: ["uplink"])) }
                for pg in s.portGroups {
                    let pid = "pg:\(h.name):\(s.name):\(pg.name)"
                    attachPoints[pg.name] = pid
                    let vlan =
                        switch pg.vlan.value {
                        case 0: "untagged"
                        case 4095: "trunk (every VLAN)"
                        default: "VLAN \(pg.vlan.value)"
                        }
                    c.nodes.append(
                        .init(id: pid, label: [pg.name, vlan], attributes: ["shape": "box", "fontsize": "9"]))
                    g.edges.append(.init(from: id, to: pid))
                }
            }
            // VMs, by what they attach to; many on one point (or the VMs of
            // hosts drawn once) become one node.
            var byPoint: [String: [VM]] = [:]
            let gateways = ir.poolGateways
            for m in members {
                let routed = Set(m.routedVMs(pools: gateways).map(\.name))
                for k in m.vms.indices {
                    let vm = m.vms[k]
                    let points =
                        vm.attach.compactMap { attachPoints[$0.value] }
                        + (vm.portgroup.flatMap { attachPoints[$0.value] }.map { [$0] } ?? [])
                    if points.isEmpty {
                        byPoint[routed.contains(vm.name) ? "routed:\(h.name)" : "none:\(h.name)", default: []].append(
                            vm)
                    }
                    for p in points { byPoint[p, default: []].append(vm) }
                }
            }
            let collapseVMs = members.count > 1 ? 0 : collapseAbove
            for (point, vms) in byPoint {
                if point.hasPrefix("routed:") {
                    c.nodes.append(
                        .init(
                            id: point,
                            label: [
                                members.count == 1 ? "routed by \(h.name)" : "routed by each host",
                                "/32 each, gateway \(h.gateway?.description ?? "—")",
                            ],
                            attributes: ["shape": "note"]))
                }
                let anchor = point.hasPrefix("none:") ? nil : point
                if vms.count > collapseVMs {
                    let names = [
                        vms.map(\.name).min(by: BGPPicture.naturalOrder)!,
                        vms.map(\.name).max(by: BGPPicture.naturalOrder)!,
                    ]
                    let id = "vms:\(point)"
                    c.nodes.append(
                        .init(
                            id: id, label: ["\(names.first!)…\(names.last!)", "\(vms.count) VMs"],
                            attributes: ["shape": "box3d"]))
                    if let anchor { g.edges.append(.init(from: anchor, to: id)) }
                    continue
                }
                for vm in vms {
                    let id = "vm:\(vm.name)"
                    if !c.nodes.contains(where: { $0.id == id }) {
                        var label = [vm.name]
                        if let ip = vm.ip?.value { label.append(ip.description) }
                        c.nodes.append(.init(id: id, label: label, attributes: ["shape": "component"]))
                    }
                    if let anchor {
                        g.edges.append(.init(from: anchor, to: id, label: vlans.label(vm, ir: ir)))
                    }
                }
            }
            g.clusters.append(c)
        }
        return g
    }

    /// What two hosts share when they are wired alike: platform, bridges,
    /// ports, veths, vSwitches and port groups, and where their VMs attach.
    static func signature(_ h: Host) -> String {
        var parts = [h.platform.rawValue]
        parts += h.linuxBridges.map { "lb \($0.name) \($0.mtu ?? 0) \($0.members.map(\.value))" }
        parts += h.ovsBridges.map { b in
            "ovs \(b.name) \(b.mtu ?? 0) \(b.uplink?.value ?? "") "
                + b.ports.map { "\($0.name) \(portVLANs($0))" }.joined(separator: ",")
        }
        parts += h.veths.map { "veth \($0.name) \($0.peer.value)" }
        parts += h.vswitches.map { s in
            "vsw \(s.name) \(s.uplinks.map(\.value)) "
                + s.portGroups.map { "\($0.name) \($0.vlan.value)" }.joined(separator: ",")
        }
        parts += Set(h.vms.map { ($0.attach.map(\.value) + [$0.portgroup?.value ?? ""]).joined(separator: "+") })
            .sorted()
        return parts.joined(separator: "\n")
    }

    static func portVLANs(_ p: OVSPort) -> [String] {
        var out: [String] = []
        if let m = p.vlanMode { out.append(m.rawValue) }
        if let t = p.tag { out.append("tag \(t)") }
        if !p.trunks.isEmpty {
            out.append(
                "trunks "
                    + p.trunks.map { $0.count == 1 ? "\($0.lowerBound)" : "\($0.lowerBound)-\($0.upperBound)" }
                    .joined(separator: ","))
        }
        if let c = p.carries { out.append("carries \(c.value)") }
        return out
    }

    /// The VLAN a VM's interface carries, for its edge's label.
    struct VLANOf {
        let pools: [String: Int]
        let networks: [String: Int]
        let clouds: [String: ClosedRange<Int>]

        init(_ ir: FabricIR) {
            pools = Dictionary(
                ir.pools.compactMap { p in p.vlan.map { (p.name, $0) } }, uniquingKeysWith: { a, _ in a })
            networks = Dictionary(
                ir.networks.compactMap { n in n.vlan.map { (n.name, $0) } }, uniquingKeysWith: { a, _ in a })
            clouds = Dictionary(
                ir.clouds.compactMap { c in c.vlans.map { (c.name, $0.value) } }, uniquingKeysWith: { a, _ in a })
        }

        func label(_ vm: VM, ir: FabricIR) -> [String] {
            if let c = vm.carries, let r = clouds[c.value] { return ["trunk \(r.lowerBound)-\(r.upperBound)"] }
            if let n = vm.network, let v = networks[n] { return ["VLAN \(v)"] }
            if let p = vm.pool, let v = pools[p] { return ["VLAN \(v)"] }
            return []
        }
    }
}

/// Both views in one picture, each in its own box.
public enum FabricPicture {
    public enum View: String, Sendable, CaseIterable {
        case bgp, l2, all
    }

    public static let defaultCollapse = 40

    public static func graph(_ ir: FabricIR, view: View, collapseAbove: Int = defaultCollapse) -> DOTGraph {
        switch view {
        case .bgp: return BGPPicture.graph(ir, collapseAbove: collapseAbove)
        case .l2: return L2Picture.graph(ir, collapseAbove: collapseAbove)
        case .all:
            let bgp = BGPPicture.graph(ir, collapseAbove: collapseAbove)
            let l2 = L2Picture.graph(ir, collapseAbove: collapseAbove)
            var g = DOTGraph(name: "\(ir.settings.name)", label: "\(ir.settings.name): BGP sessions and L2 wiring")
            g.clusters = [
                .init(id: "view-bgp", label: bgp.label, nodes: bgp.nodes, clusters: bgp.clusters),
                .init(id: "view-l2", label: l2.label, nodes: l2.nodes, clusters: l2.clusters),
            ]
            g.edges = bgp.edges + l2.edges
            return g
        }
    }
}
