import FabricBase
import FabricDiagnostics
import FabricSyntax

/// Checks of the BGP design over the derived sessions.
struct BGPChecks {
    let ir: FabricIR
    var diagnostics: [Diagnostic] = []
    /// Where each speaker's AS is set, looked up per diagnostic: a search of
    /// the hosts each time is quadratic when every host of a big fabric has
    /// the same mistake.
    let asnSites: [Device: Span]

    init(ir: FabricIR) {
        self.ir = ir
        var sites: [Device: Span] = [:]
        for h in ir.hosts { if let a = h.asn { sites[.host(h.name)] = a.span } }
        for r in ir.reflectors { if let a = r.asn { sites[.reflector(r.name)] = a.span } }
        for r in ir.routers { if let a = r.asn { sites[.router(r.name)] = a.span } }
        asnSites = sites
    }

    static func run(_ ir: FabricIR) -> [Diagnostic] {
        var c = BGPChecks(ir: ir)
        c.sessionTypes()
        c.reachability()
        c.clusterIDs()
        c.routerIDs()
        c.speakers()
        return c.diagnostics
    }

    /// Where a device's AS is set: on it, on its cluster, or on the fabric
    /// (a router's only on itself).
    func asnSpan(_ d: Device, fallback: Span) -> Span { asnSites[d] ?? fallback }

    mutating func sessionTypes() {
        let reflectors = Dictionary(uniqueKeysWithValues: ir.reflectors.map { ($0.name, $0) })
        let routers = Dictionary(uniqueKeysWithValues: ir.routers.map { ($0.name, $0) })
        let hosts = Dictionary(uniqueKeysWithValues: ir.hosts.map { ($0.name, $0) })
        // A host in another AS than its reflectors is one mistake however
        // many reflectors it has: one diagnostic names them all.
        var foreignReflectors: [String: [BGPSession]] = [:]
        for s in ir.sessions where s.role == .reflectorClient && s.aAS != s.bAS {
            foreignReflectors[s.a.name, default: []].append(s)
        }
        for name in foreignReflectors.keys.sorted() {
            let list = foreignReflectors[name]!
            guard let h = hosts[name] else { continue }
            let names = list.map { "`\($0.b.name)`" }.joined(separator: ", ")
            let ases = Set(list.map(\.bAS)).sorted().map(String.init).joined(separator: ", ")
            var d = Diagnostic(
                .ibgpASMismatch, at: asnSpan(list[0].a, fallback: h.reflectorsKeyword ?? h.origin.span),
                "host `\(h.name)` (AS \(list[0].aAS)) is a client of \(list.count == 1 ? "reflector" : "reflectors") \(names) in AS \(ases)"
            )
            .labelled("AS \(list[0].aAS)")
            var labelled: Set<Span> = []
            for s in list {
                let span = asnSpan(s.b, fallback: reflectors[s.b.name]?.origin.span ?? h.origin.span)
                if labelled.insert(span).inserted { d = d.label(span, "AS \(s.bAS)") }
            }
            diagnostics.append(
                d.help(
                    "route reflection works inside one AS: give both the same `asn` (or set it once on their cluster)"))
        }
        for s in ir.sessions {
            switch s.role {
            case .reflectorClient:
                continue
            case .upstream:
                guard let r = reflectors[s.a.name], let router = routers[s.b.name] else { continue }
                for (peering, owner) in [
                    (r.peering, "reflector `\(r.name)`"), (router.peering, "router `\(router.name)`"),
                ] {
                    guard let declared = peering?.value, declared != s.type, let span = peering?.span else { continue }
                    diagnostics.append(
                        Diagnostic(
                            .peeringMismatch, at: span,
                            "\(owner) declares `peering \(declared.rawValue)` but the session is \(s.type == .internal ? "iBGP" : "eBGP")"
                        )
                        .labelled(declared == .internal ? "internal needs one AS" : "external needs two ASes")
                        .label(asnSpan(s.a, fallback: r.origin.span), "`\(r.name)` is in AS \(s.aAS)")
                        .label(asnSpan(s.b, fallback: router.origin.span), "`\(router.name)` is in AS \(s.bAS)"))
                }
            case .leaf:
                guard let h = hosts[s.a.name], let leaf = routers[s.b.name] else { continue }
                if leaf.role != .leaf {
                    diagnostics.append(
                        Diagnostic(
                            .peerNotLeaf, at: peerSpan(h, leaf.name),
                            "host `\(h.name)` peers with `\(leaf.name)`, which is not a leaf"
                        )
                        .labelled("`peers` takes leaf switches")
                        .label(leaf.origin.span, "a \(leaf.role.rawValue) router")
                        .help("declare `role leaf` on it, or reach border routers through reflectors"))
                } else if let peering = leaf.peering, peering.value != s.type {
                    let (declared, span) = (peering.value, peering.span)
                    diagnostics.append(
                        Diagnostic(
                            .peeringMismatch, at: span,
                            "router `\(leaf.name)` declares `peering \(declared.rawValue)` but its session with `\(h.name)` is \(s.type == .internal ? "iBGP" : "eBGP")"
                        )
                        .labelled(declared == .internal ? "internal needs one AS" : "external needs two ASes")
                        .label(asnSpan(s.b, fallback: leaf.origin.span), "`\(leaf.name)` is in AS \(s.bAS)"))
                } else if s.aAS == s.bAS {
                    diagnostics.append(
                        Diagnostic(
                            .leafSameAS, at: peerSpan(h, leaf.name),
                            "host `\(h.name)` and leaf `\(leaf.name)` are both in AS \(s.aAS)"
                        )
                        .labelled("eBGP needs two ASes")
                        .label(asnSpan(s.b, fallback: leaf.origin.span), "the leaf's AS")
                        .help("nodes share one AS and the leaves another (scenario S2)"))
                }
            case .reflectorMesh:
                guard s.aAS != s.bAS, let a = reflectors[s.a.name], let b = reflectors[s.b.name] else { continue }
                diagnostics.append(
                    Diagnostic(
                        .ibgpASMismatch, at: asnSpan(s.b, fallback: b.origin.span),
                        "reflectors `\(s.a.name)` and `\(s.b.name)` of one cluster are in different ASes"
                    )
                    .labelled("AS \(s.bAS)").label(asnSpan(s.a, fallback: a.origin.span), "AS \(s.aAS)"))
            }
        }
    }

    /// Where `host` names `leaf` in its `peers`.
    func peerSpan(_ host: Host, _ leaf: String) -> Span {
        host.peers.first { $0.value == leaf }?.span ?? host.origin.span
    }

    /// Every KVM host with routed VMs announces them to a reflector.
    mutating func reachability() {
        for h in ir.hosts where h.platform == .kvm && h.vms.contains(where: { $0.ip != nil }) && !h.peeringIncomplete {
            if h.reflectors.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        .noReflector, at: h.origin.span, "host `\(h.name)` has VMs but reaches no route reflector"
                    )
                    .labelled("its VMs' routes go nowhere")
                    .help(
                        h.cluster == nil
                            ? "add `reflectors rr1, rr2`, or a `cluster` that has reflectors"
                            : "its cluster `\(h.cluster!)` has no reflectors: add some with `cluster \(h.cluster!)`"))
            } else if h.reflectors.count == 1 {
                diagnostics.append(
                    Diagnostic(
                        .singleReflector, at: h.reflectorsKeyword ?? h.origin.span,
                        "host `\(h.name)` reaches only one route reflector"
                    )
                    .labelled("`\(h.reflectors[0])` alone")
                    .note("if `\(h.reflectors[0])` fails, every VM route of `\(h.name)` is withdrawn"))
            }
        }
    }

    mutating func clusterIDs() {
        let byCluster = Dictionary(grouping: ir.reflectors.filter { $0.cluster != nil }, by: { $0.cluster! })
        for cluster in byCluster.keys.sorted() {
            let members = byCluster[cluster]!
            guard let first = members.first, Set(members.map(\.clusterID?.value)).count > 1 else { continue }
            for r in members.dropFirst() where r.clusterID?.value != first.clusterID?.value {
                diagnostics.append(
                    Diagnostic(
                        .clusterIDMismatch, at: r.clusterID?.span ?? r.origin.span,
                        "reflectors `\(first.name)` and `\(r.name)` of cluster `\(cluster)` have different cluster IDs"
                    )
                    .labelled("\(r.clusterID.map(\.value.description) ?? "none")")
                    .label(
                        first.clusterID?.span ?? first.origin.span,
                        "\(first.clusterID.map(\.value.description) ?? "none")"
                    )
                    .help("set `cluster-id` once on cluster `\(cluster)`"))
            }
        }
    }

    /// Hosts that cannot speak BGP, reflectors of another cluster, speakers
    /// without a router ID.
    mutating func speakers() {
        let reflectors = Dictionary(uniqueKeysWithValues: ir.reflectors.map { ($0.name, $0) })
        for h in ir.hosts {
            if h.platform == .esxi, !h.reflectors.isEmpty || !h.peers.isEmpty {
                diagnostics.append(
                    Diagnostic(
                        .noBGPSpeaker, at: h.reflectorsKeyword ?? h.origin.span,
                        "ESXi host `\(h.name)` has BGP sessions"
                    )
                    .labelled("an ESXi host runs no BGP speaker")
                    .help("remove `reflectors`/`peers`, or make it a `kvm` or `linux` host"))
            }
            if let cluster = h.cluster {
                for r in h.reflectors {
                    guard let rr = reflectors[r], let other = rr.cluster, other != cluster else { continue }
                    diagnostics.append(
                        Diagnostic(
                            .foreignReflector, at: h.reflectorsKeyword ?? h.origin.span,
                            "host `\(h.name)` of cluster `\(cluster)` peers with `\(r)` of cluster `\(other)`"
                        )
                        .labelled("`\(r)` serves another cluster")
                        .label(rr.origin.span, "in cluster `\(other)`")
                        .help("leave out `reflectors` to peer with every reflector of `\(cluster)`"))
                    break
                }
            }
        }
        for h in ir.hosts where !h.sessions.isEmpty && h.routerID == nil {
            missingRouterID("host", h.name, h.origin.span)
        }
        for r in ir.reflectors where !r.sessions.isEmpty && r.routerID == nil {
            missingRouterID("reflector", r.name, r.origin.span)
        }
        for r in ir.routers where !r.sessions.isEmpty && r.routerID == nil {
            missingRouterID("router", r.name, r.origin.span)
        }
    }

    mutating func missingRouterID(_ kind: String, _ name: String, _ span: Span) {
        diagnostics.append(
            Diagnostic(.noRouterID, at: span, "\(kind) `\(name)` has BGP sessions but no router ID")
                .labelled("no IPv4 address to take it from")
                .help("add `router-id 10.0.0.1` (any unique IPv4 address)"))
    }

    /// Router IDs of every BGP speaker are unique.
    mutating func routerIDs() {
        // (id, who, where, whether the ID is only the device's address)
        var all: [(IPv4Address, String, Span, Bool)] = []
        func derived(_ id: IPv4Address, _ address: Located<IPAddress>?) -> Bool { address?.value == .v4(id) }
        for h in ir.hosts where !h.sessions.isEmpty {
            if let id = h.routerID { all.append((id.value, "host `\(h.name)`", id.span, derived(id.value, h.address))) }
        }
        for r in ir.reflectors where !r.sessions.isEmpty {
            if let id = r.routerID {
                all.append((id.value, "reflector `\(r.name)`", id.span, derived(id.value, r.address)))
            }
        }
        for r in ir.routers where !r.sessions.isEmpty {
            if let id = r.routerID {
                all.append((id.value, "router `\(r.name)`", id.span, derived(id.value, r.address)))
            }
        }
        all.sort { ($0.0, $0.2) < ($1.0, $1.2) }
        // Two IDs that are both just the devices' addresses are a duplicate
        // address, reported as such (FAB4006).
        for k in all.indices.dropFirst() where all[k].0 == all[k - 1].0 && !(all[k].3 && all[k - 1].3) {
            diagnostics.append(
                Diagnostic(.duplicateRouterID, at: all[k].2, "router ID \(all[k].0) of \(all[k].1) is not unique")
                    .labelled("also \(all[k - 1].1)'s")
                    .label(all[k - 1].2, "\(all[k - 1].1)")
                    .help("set a distinct `router-id`"))
        }
    }
}
