import FabricBase
import FabricDiagnostics
import FabricSema

/// Builds the Calico resources from the IR's Calico nodes (`cni calico`),
/// and reports what they cannot carry. `validate` and `generate` both call
/// it, so what is checked is what is written.
struct CalicoModelBuilder {
    let ir: FabricIR
    private(set) var diagnostics: [Diagnostic] = []

    /// Calico's selector for one node (kubelet sets the label).
    static func hostnameSelector(_ node: String) -> String { "kubernetes.io/hostname == '\(node)'" }
    /// The label a node carries for each remote device it peers with.
    static func peerLabel(_ remote: String) -> String { "peer.fabricc.io/\(remote)" }

    init(_ ir: FabricIR) { self.ir = ir }

    var nodes: [Host] { ir.hosts.filter { $0.cni == .calico }.sorted { $0.name < $1.name } }

    mutating func model() -> CalicoModel? {
        let nodes = self.nodes
        guard !nodes.isEmpty else { return nil }
        let asNumber = checkNodes(nodes)
        let pools = ipPools(nodes)
        let (peers, filters, labels) = peerings(nodes)
        for pool in pools { checkName(pool.name) }
        let passwords = Set(peers.compactMap(\.passwordKey))
        return CalicoModel(
            asNumber: asNumber ?? 0,
            // The mesh only where some node has no peer of its own: it
            // would otherwise hear nothing.
            nodeToNodeMesh: nodes.contains { $0.sessions.isEmpty },
            peers: peers, filters: filters, pools: pools, labels: labels,
            passwordSecret: passwords.isEmpty ? nil : CalicoPasswordSecret(keys: passwords.sorted()))
    }

    // MARK: Nodes

    /// The one AS every Calico node shares; nil (reported) when they differ.
    private mutating func checkNodes(_ nodes: [Host]) -> UInt32? {
        for node in nodes where node.platform != .linux {
            diagnostics.append(
                Diagnostic(
                    .calicoNode, at: node.origin.span, "host `\(node.name)` has `cni calico` but is not a Linux node"
                )
                .labelled("platform \(node.platform.rawValue)")
                .help("Calico runs on Kubernetes nodes: `platform linux`"))
        }
        guard let first = nodes.first(where: { $0.asn != nil }), let asn = first.asn else {
            if let node = nodes.first {
                diagnostics.append(
                    Diagnostic(.calicoNode, at: node.origin.span, "Calico node `\(node.name)` has no AS number")
                        .labelled("no `asn`, and the fabric has none")
                        .help("set `asn` in the fabric (every Calico node shares it)"))
            }
            return nil
        }
        var agreed = true
        for node in nodes where node.asn?.value != asn.value {
            agreed = false
            var d = Diagnostic(
                .calicoNode, at: node.asn?.span ?? node.origin.span,
                "Calico node `\(node.name)` has AS \(node.asn.map { "\($0.value)" } ?? "none"), but `\(first.name)` has AS \(asn.value)"
            )
            .labelled("another AS")
            d = d.label(asn.span, "the AS of `\(first.name)`")
            diagnostics.append(
                d.note("fabricc writes one `asNumber` for every Calico node, in the BGPConfiguration `default`"))
        }
        if asn.value > UInt32(Int32.max) {
            agreed = false
            diagnostics.append(
                Diagnostic(.calicoNode, at: asn.span, "AS \(asn.value) is above 2147483647, which Calico's CRDs refuse")
                    .labelled("32-bit signed in Calico's BGPConfiguration and BGPPeer")
                    .help("use a private AS up to 2147483647 for the Calico nodes"))
        }
        return agreed ? asn.value : nil
    }

    // MARK: Pools

    private mutating func ipPools(_ nodes: [Host]) -> [CalicoPool] {
        let pools = Dictionary(ir.pools.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var users: [String: [Host]] = [:]
        var fixed: [String: [(node: String, block: IPPrefix)]] = [:]
        for node in nodes {
            let own = node.pools.compactMap { pools[$0] }
            for block in node.podBlocks {
                guard
                    let pool = own.first(where: {
                        $0.prefix.value.contains(block.value.network) && $0.prefix.value.length <= block.value.length
                    })
                else {
                    diagnostics.append(
                        Diagnostic(
                            .calicoPool, at: block.span,
                            "pod block \(block.value) of `\(node.name)` lies in none of its pools"
                        )
                        .labelled(
                            "not in \(own.isEmpty ? "any pool (the node names none)" : own.map { "`\($0.name)`" }.joined(separator: ", "))"
                        )
                        .help("name the pool it comes from in the node's `pools`"))
                    continue
                }
                guard block.value.network.isV4, (20...32).contains(block.value.length) else {
                    diagnostics.append(
                        Diagnostic(.calicoPool, at: block.span, "pod block \(block.value) cannot be a Calico block")
                            .labelled(block.value.network.isV4 ? "length \(block.value.length)" : "IPv6")
                            .help("Calico's IPv4 blocks are /20 to /32 (its `blockSize`)"))
                    continue
                }
                fixed[pool.name, default: []].append((node.name, block.value))
            }
            for pool in own { users[pool.name, default: []].append(node) }
        }
        var out: [CalicoPool] = []
        for (name, members) in users.sorted(by: { $0.key < $1.key }) {
            guard let pool = pools[name] else { continue }
            let natOutgoing = pool.announce == nil
            guard pool.prefix.value.network.isV4 else {
                diagnostics.append(
                    Diagnostic(
                        .calicoPool, at: pool.prefix.span,
                        "pool `\(name)` is IPv6; the Calico backend writes IPv4 pools"
                    )
                    .labelled("IPv6 prefix"))
                continue
            }
            let blocks = fixed[name] ?? []
            if blocks.isEmpty {
                let length = pool.prefix.value.length
                out.append(
                    CalicoPool(
                        name: name, cidr: "\(pool.prefix.value)", blockSize: max(26, min(32, length)),
                        nodeSelector: nil, natOutgoing: natOutgoing))
                continue
            }
            let withBlocks = Set(blocks.map(\.node))
            for node in members where !withBlocks.contains(node.name) {
                var d = Diagnostic(
                    .calicoPool, at: node.origin.span,
                    "Calico node `\(node.name)` draws pods from `\(name)` without fixed pod blocks, while other nodes of the pool have theirs"
                )
                .labelled("no `pod-blocks`")
                if let other = members.first(where: { withBlocks.contains($0.name) }), let block = other.podBlocks.first
                {
                    d = d.label(block.span, "`\(other.name)`'s fixed block")
                }
                diagnostics.append(
                    d.note(
                        "its pods would need an IPPool over the whole pool, which overlaps the fixed blocks' IPPools"
                    )
                    .help("give it `pod-blocks` too, or remove them from every node of the pool"))
            }
            var counts: [String: Int] = [:]
            for (node, block) in blocks.sorted(by: {
                ($0.node, $0.block.network.number) < ($1.node, $1.block.network.number)
            }) {
                counts[node, default: 0] += 1
                out.append(
                    CalicoPool(
                        name: "\(name)-\(node)-\(counts[node]!)", cidr: "\(block)", blockSize: block.length,
                        nodeSelector: Self.hostnameSelector(node), natOutgoing: natOutgoing))
            }
        }
        return out
    }

    // MARK: Peers

    /// What one node asks of one peering; nodes asking alike share a peer.
    private struct Peering: Hashable {
        let remote: String
        let address: IPAddress
        let asn: UInt32
        let password: String?
        let importV4: [CalicoRule]
        let exportV4: [CalicoRule]
    }

    private mutating func peerings(_ nodes: [Host]) -> ([CalicoPeer], [CalicoFilter], [CalicoNodeLabels]) {
        let pools = Dictionary(ir.pools.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let fabric = ir.settings.name
        var byRemote: [String: [(node: String, peering: Peering)]] = [:]
        for node in nodes {
            let importV4: [CalicoRule] =
                node.importRoutes == .defaultRoute
                ? [CalicoRule(action: .accept, matchOperator: "Equal", cidr: "0.0.0.0/0"), .rejectAll] : [.rejectAll]
            let exported = node.pools.compactMap { pools[$0]?.prefix.value }.filter(\.network.isV4).map { "\($0)" }
                .sorted()
            let exportV4 = exported.map { CalicoRule(action: .accept, matchOperator: "In", cidr: $0) } + [.rejectAll]
            for index in node.sessions {
                let session = ir.sessions[index]
                guard case .host(let name) = session.a, name == node.name else { continue }
                if session.bfd {
                    diagnostics.append(
                        Diagnostic(
                            .calicoBFD, at: node.origin.span,
                            "Calico node `\(node.name)` would run BFD with `\(session.b.name)`"
                        )
                        .labelled("calico-node runs no BFD")
                        .help("set `bfd off` on `\(node.name)`"))
                }
                guard session.bAddress.isV4 else {
                    diagnostics.append(
                        Diagnostic(
                            .calicoPeer, at: node.origin.span,
                            "Calico node `\(node.name)` would peer with `\(session.b.name)` over IPv6 address \(session.bAddress)"
                        )
                        .labelled("IPv6 peering")
                        .help("give `\(session.b.name)` an IPv4 `address`"))
                    continue
                }
                byRemote[session.b.name, default: []].append(
                    (
                        node.name,
                        Peering(
                            remote: session.b.name, address: session.bAddress, asn: session.bAS,
                            password: session.password,
                            importV4: importV4, exportV4: exportV4)
                    ))
            }
        }
        var peers: [CalicoPeer] = []
        var filters: [CalicoFilter] = []
        var labels: [String: [String]] = [:]
        let keepalive = ir.settings.keepaliveSeconds.map { "\($0)s" }
        let ttl = ir.settings.ttlSecurity ? 1 : nil
        for (remote, members) in byRemote.sorted(by: { $0.key < $1.key }) {
            let alike = Set(members.map(\.peering)).count == 1
            if alike, let peering = members.first?.peering, Self.isLabelName(remote) {
                let label = Self.peerLabel(remote)
                for member in members { labels[member.node, default: []].append(label) }
                let name = "\(fabric)-\(remote)"
                filters.append(CalicoFilter(name: name, importV4: peering.importV4, exportV4: peering.exportV4))
                peers.append(
                    CalicoPeer(
                        name: name, peerIP: "\(peering.address)", asNumber: peering.asn,
                        nodes: .selector("\(label) == 'true'"), filter: name, keepaliveTime: keepalive,
                        passwordKey: peering.password, ttlSecurity: ttl))
            } else {
                // Nodes that ask differently of one remote (another password,
                // other routes) each get a peer of their own.
                for member in members {
                    let name = "\(fabric)-\(remote)-\(member.node)"
                    filters.append(
                        CalicoFilter(name: name, importV4: member.peering.importV4, exportV4: member.peering.exportV4))
                    peers.append(
                        CalicoPeer(
                            name: name, peerIP: "\(member.peering.address)", asNumber: member.peering.asn,
                            nodes: .node(member.node), filter: name, keepaliveTime: keepalive,
                            passwordKey: member.peering.password, ttlSecurity: ttl))
                }
            }
        }
        for peer in peers { checkName(peer.name) }
        let nodeLabels = labels.sorted { $0.key < $1.key }.map {
            CalicoNodeLabels(node: $0.key, labels: $0.value.sorted())
        }
        return (peers, filters, nodeLabels)
    }

    /// A label's name part: at most 63 characters, letters, digits, `-`,
    /// `_` and `.`, a letter or digit at both ends.
    static func isLabelName(_ name: String) -> Bool {
        guard (1...63).contains(name.utf8.count), let first = name.unicodeScalars.first,
            let last = name.unicodeScalars.last
        else { return false }
        func alnum(_ c: Unicode.Scalar) -> Bool {
            ("a"..."z").contains(c) || ("A"..."Z").contains(c) || ("0"..."9").contains(c)
        }
        return alnum(first) && alnum(last)
            && name.unicodeScalars.allSatisfy { alnum($0) || $0 == "-" || $0 == "_" || $0 == "." }
    }

    /// A resource name must be a DNS-1123 subdomain: lower case letters,
    /// digits, `-` and `.`, at most 253 characters.
    private mutating func checkName(_ name: String) {
        let ok =
            (1...253).contains(name.utf8.count)
            && name.unicodeScalars.allSatisfy {
                ("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-" || $0 == "."
            }
            && name.first.map { $0.isLetter || $0.isNumber } == true
            && name.last.map { $0.isLetter || $0.isNumber } == true
        guard !ok, let span = ir.settings.origin?.span ?? nodes.first?.origin.span else { return }
        diagnostics.append(
            Diagnostic(.calicoPeer, at: span, "the Calico resource name `\(name)` is not a Kubernetes resource name")
                .labelled("names the Calico resources")
                .help(
                    "Calico resources are named after the fabric and the device: use lower-case letters, digits and `-`"
                ))
    }
}
