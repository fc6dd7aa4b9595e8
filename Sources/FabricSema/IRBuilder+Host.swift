import FabricDiagnostics
import FabricSyntax

extension IRBuilder {
    mutating func buildHost(_ i: Instance) {
        guard let name = i.name?.value else { return }
        let description = reader.string(i, "description")
        let address = track(reader.address(i, "address"), i, "address")
        let asn = track(reader.asn(i), i, "asn")
        let routerID = reader.ipv4(i, "router-id")
        let cluster = reference(i, "cluster", "cluster")
        if cluster == nil, i.attribute("cluster") != nil { invalid.insert("host/\(name)/asn") }
        let clusterDecl = cluster.flatMap { declaration("cluster", $0, in: ir.clusters) }
        var reflectors = references(i, "reflectors", "reflector")
        let reflectorsAttribute = i.attribute("reflectors")
        var peeringIncomplete = false
        if let reflectorsAttribute, reflectors.count < reflectorsAttribute.values.count { peeringIncomplete = true }
        if cluster == nil, i.attribute("cluster") != nil { peeringIncomplete = true }
        if reflectorsAttribute == nil, let cluster {
            reflectors = reflectorsByCluster[cluster] ?? []
        }
        let peers = referencesLocated(i, "peers", "router")
        var pools = references(i, "pools", "pool")
        let podBlocks = reader.prefixes(i, "pod-blocks")

        // Nested declarations: networks and VMs are fabric-wide names
        // (declared in pass 1); the rest are names within this host.
        var local = LocalNames()
        var networks: [Network] = []
        var vms: [VM] = []
        vms.reserveCapacity(i.children.count)
        var vswitches: [VSwitch] = []
        var linuxBridges: [LinuxBridge] = []
        var ovsBridges: [OVSBridge] = []
        var veths: [VethPair] = []
        for c in i.children {
            // Networks and VMs were checked when declared (pass 1).
            let fabricWide = c.keyword == "network" || c.keyword == "vm"
            guard let childName = fabricWide ? c.name : c.name.flatMap({ reader.checkControl($0) }) else { continue }
            switch c.keyword {
            case "network":
                guard symbols.contains("network", childName.value), firstBuild("network", childName.value) else {
                    continue
                }
                if let n = buildNetwork(c, owner: name) { networks.append(n) }
            case "vm":
                // Without duplicates or refused names, every VM is in the table once.
                guard
                    !symbols.hasDuplicates
                        || (symbols.contains("vm", childName.value) && firstBuild("vm", childName.value))
                else { continue }
                vms.append(buildVM(c, host: name))
            case "vswitch":
                guard local.declare("vswitch", childName, &reader.diagnostics) else { continue }
                vswitches.append(buildVSwitch(c, local: &local))
            case "linux-bridge":
                guard local.declare("interface", childName, &reader.diagnostics) else { continue }
                let members = reader.names(c, "members")
                linuxBridges.append(
                    LinuxBridge(name: childName.value, mtu: reader.mtu(c)?.value, members: members, origin: origin(c)))
            case "ovs-bridge":
                guard local.declare("interface", childName, &reader.diagnostics) else { continue }
                ovsBridges.append(buildOVSBridge(c, local: &local))
            case "veth":
                guard local.declare("interface", childName, &reader.diagnostics) else { continue }
                // Without its peer (reported) there is no pair to build.
                guard let peer = required(reader.name(c, "peer"), c, "peer", "\(childName.value)-peer"),
                    local.declare("interface", peer, &reader.diagnostics)
                else { continue }
                _ = reader.string(c, "description")
                veths.append(VethPair(name: childName.value, peer: peer, mtu: reader.mtu(c)?.value, origin: origin(c)))
            default:
                break
            }
        }
        // A VM may only attach to this host's bridges and port groups.
        let bridges = Set(linuxBridges.map(\.name) + ovsBridges.map(\.name))
        for instance in i.children
        where instance.keyword == "vm"
            && (instance.attribute("attach") != nil || instance.attribute("portgroup") != nil)
        {
            for bridge in reader.names(instance, "attach") where !bridges.contains(bridge.value) {
                reader.report(
                    Diagnostic(.undefinedName, at: bridge.span, "host `\(name)` has no bridge `\(bridge.value)`")
                        .labelled(
                            Spelling.suggest(bridge.value, among: linuxBridges.map(\.name) + ovsBridges.map(\.name)).map
                            { "did you mean `\($0)`?" } ?? "undefined bridge"))
            }
            if let pg = reader.name(instance, "portgroup"), !local.contains("portgroup", pg.value) {
                reader.report(
                    Diagnostic(.undefinedName, at: pg.span, "host `\(name)` has no port group `\(pg.value)`")
                        .labelled(
                            Spelling.suggest(pg.value, among: local.names("portgroup")).map { "did you mean `\($0)`?" }
                                ?? "undefined port group"))
            }
        }
        for vm in vms { if let p = vm.pool, !pools.contains(p) { pools.append(p) } }

        ir.hosts.append(
            Host(
                name: name,
                platform: reader.keyword(i, "platform", Platform.self) ?? .kvm,
                address: address,
                asn: asn ?? clusterDecl?.asn ?? ir.settings.asn,
                routerID: routerID ?? address.flatMap(Self.ipv4),
                cluster: cluster, reflectors: reflectors, reflectorsKeyword: reflectorsAttribute?.keywordSpan,
                peeringIncomplete: peeringIncomplete, peers: peers, pools: pools.sorted(), podBlocks: podBlocks,
                // A node peering with leaves takes their default route (S2); a
                // hypervisor takes nothing from its reflectors unless told.
                importRoutes: reader.keyword(i, "import", RouteImport.self) ?? (peers.isEmpty ? .none : .defaultRoute),
                cni: reader.keyword(i, "cni", NodeCNI.self) ?? .none,
                mtu: reader.mtu(i)?.value,
                password: password(i, "host", name),
                gateway: clusterDecl?.gateway ?? ir.settings.gateway?.value,
                networks: networks, vms: vms, vswitches: vswitches, linuxBridges: linuxBridges,
                ovsBridges: ovsBridges, veths: veths, description: description, origin: origin(i)))
        ir.networks += networks
        rememberBFD(i, "host", name)
    }

    mutating func buildVM(_ c: Instance, host: String) -> VM {
        let name = c.name!.value
        let ip = reader.address(c, "ip")
        _ = reader.string(c, "description")
        let domain = reader.string(c, "domain")
        // Its pool: its own `pool`, else the pool its address is in.
        var pool = reference(c, "pool", "pool")
        if pool == nil, c.attribute("pool") == nil, let ip { pool = self.pool(containing: ip.value) }
        let attach = reader.names(c, "attach")
        return VM(
            name: name, ip: ip, pool: pool, network: reference(c, "network", "network"),
            mac: reader.mac(c, "mac")?.value, domain: domain, attach: attach,
            model: reader.first(c, "model") != nil ? reader.keyword(c, "model", NICModel.self)?.rawValue : nil,
            portgroup: reader.name(c, "portgroup"), interface: reader.name(c, "interface"),
            carries: locatedReference(c, "carries", "openstack"), origin: origin(c))
    }

    enum NICModel: String { case virtio, e1000 }

    mutating func failover(_ c: Instance) -> Failover? {
        guard let f = c.children.first(where: { $0.keyword == "failover" }) else { return nil }
        let active = reader.names(f, "active")
        let standby = reader.names(f, "standby")
        return Failover(
            active: active, standby: standby, loadBalancing: reader.keyword(f, "load-balancing", LoadBalancing.self))
    }

    mutating func security(_ c: Instance) -> Security? {
        guard let s = c.children.first(where: { $0.keyword == "security" }) else { return nil }
        return Security(
            promiscuous: reader.keyword(s, "promiscuous", PolicyAction.self),
            forgedTransmits: reader.keyword(s, "forged-transmits", PolicyAction.self),
            macChanges: reader.keyword(s, "mac-changes", PolicyAction.self))
    }

    mutating func buildVSwitch(_ c: Instance, local: inout LocalNames) -> VSwitch {
        _ = reader.string(c, "description")
        var groups: [PortGroup] = []
        for g in c.children where g.keyword == "portgroup" {
            guard let name = g.name.flatMap({ reader.checkControl($0) }),
                local.declare("portgroup", name, &reader.diagnostics)
            else { continue }
            _ = reader.string(g, "description")
            let trunk = g.attribute("trunk") != nil
            var vlan = vlanID(g, "vlan", allowUntagged: true, trunkHint: true)
            if trunk, let v = reader.first(g, "vlan") {
                reader.report(
                    Diagnostic(.vlanRange, at: v.span, "port group `\(name.value)` is a trunk and has a VLAN")
                        .labelled("a trunk carries every VLAN").help("remove `vlan` or `trunk`"))
                vlan = nil
            }
            let site = (trunk ? g.attribute("trunk")?.span : reader.first(g, "vlan")?.span) ?? name.span
            groups.append(
                PortGroup(
                    name: name.value, vlan: Located(trunk ? 4095 : (vlan ?? 0), site), failover: failover(g),
                    security: security(g), origin: origin(g)))
        }
        let uplinks = reader.names(c, "uplinks")
        let mtu = reader.mtu(c)
        return VSwitch(
            name: c.name!.value, mtu: mtu,
            ports: reader.integer(c, "ports", 1...4088, what: "port count")?.value,
            uplinks: uplinks, failover: failover(c), security: security(c),
            portGroups: groups, origin: origin(c))
    }

    mutating func buildOVSBridge(_ c: Instance, local: inout LocalNames) -> OVSBridge {
        let description = reader.string(c, "description")
        var ports: [OVSPort] = []
        for p in c.children where p.keyword == "port" {
            guard let name = p.name.flatMap({ reader.checkControl($0) }),
                local.declare("port", name, &reader.diagnostics)
            else { continue }
            let description = reader.string(p, "description")
            let mode = reader.keyword(p, "vlan-mode", VLANMode.self)
            if mode == .access, let t = reader.first(p, "trunks") {
                reader.report(
                    Diagnostic(.typeMismatch, at: t.span, "access port `\(name.value)` has `trunks`")
                        .labelled("an access port carries one VLAN, its `tag`").help(
                            "remove `trunks`, or use `vlan-mode trunk`"))
            }
            if mode == .trunk, let t = reader.first(p, "tag") {
                reader.report(
                    Diagnostic(.typeMismatch, at: t.span, "trunk port `\(name.value)` has a `tag`")
                        .labelled("a trunk carries `trunks`; a native VLAN needs `native-tagged` or `native-untagged`"))
            }
            ports.append(
                OVSPort(
                    name: name.value, vlanMode: mode,
                    tag: vlanID(p, "tag", allowUntagged: true),
                    trunks: vlanRanges(p, "trunks"), carries: locatedReference(p, "carries", "openstack"),
                    description: description?.value, origin: origin(p)))
        }
        let uplink = reader.name(c, "uplink")
        return OVSBridge(
            name: c.name!.value, mtu: reader.mtu(c)?.value, uplink: uplink,
            ports: ports, description: description?.value, origin: origin(c))
    }
}

/// Names that are unique within one host (switches, port groups,
/// interfaces).
struct LocalNames {
    var names: [String: [String: Span]] = [:]

    mutating func declare(_ kind: String, _ name: Located<String>, _ diagnostics: inout [Diagnostic]) -> Bool {
        if let first = names[kind]?[name.value] {
            diagnostics.append(
                Diagnostic(.duplicateName, at: name.span, "\(kind) `\(name.value)` is declared twice on this host")
                    .labelled("declared again here").label(first, "first declared here"))
            return false
        }
        names[kind, default: [:]][name.value] = name.span
        return true
    }

    func contains(_ kind: String, _ name: String) -> Bool { names[kind]?[name] != nil }
    func names(_ kind: String) -> [String] { Array(names[kind]?.keys ?? [:].keys) }
}
