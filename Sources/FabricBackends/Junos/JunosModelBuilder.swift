import FabricBase
import FabricDiagnostics
import FabricSema

/// A border or leaf router's configuration, as Junos statements.
struct JunosConfig {
    let statements: [JunosStatement]
    /// Some BGP group or neighbor has a password: its `authentication-key`
    /// comes from the secrets overlay, loaded after this configuration.
    let usesSecrets: Bool
    /// The overlay: the `authentication-key` statements alone, merged over
    /// the configuration; empty when the build writes no secrets.
    let secrets: [JunosStatement]
}

/// Builds each Junos router's statements from the IR: import and export
/// policies that end in reject (a term per accepted pool), BGP
/// groups of its reflectors (and of the nodes that peer with it as a leaf),
/// and the routing options the intent declares.
struct JunosModelBuilder {
    let input: BackendInput
    var diagnostics: [Diagnostic] = []
    private var secrets: SecretLookup
    private let pools: [String: Pool]
    private let hosts: [String: Host]
    private let reflectors: [String: Reflector]

    init(input: BackendInput) {
        self.input = input
        secrets = SecretLookup(input)
        pools = Dictionary(input.ir.pools.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        hosts = Dictionary(input.ir.hosts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        reflectors = Dictionary(input.ir.reflectors.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
    }

    var fabric: String { input.ir.settings.name }

    mutating func config(_ router: Router) -> JunosConfig {
        let accepted = router.accept.compactMap { pools[$0] }
        var statements: [JunosStatement] = []
        if let options = routingOptions(router) { statements.append(options) }

        let groups = peerGroups(router)
        // No prefix-lists: a policy could only match them by prefix, not
        // as "host routes of these addresses", so none would use them.
        var policies: [JunosStatement] = []
        for group in groups {
            policies.append(importPolicy(group, accepted))
            // Nodes take exactly the default route from their leaf (S2):
            // the aggregates are for the leaf's own upstream.
            policies.append(
                exportPolicy(
                    group.exportPolicy, group.kind == .nodes ? [] : router.aggregates,
                    defaultRoute: group.wantsDefault, type: group.type))
        }
        if !policies.isEmpty { statements.append(.block("policy-options", policies)) }

        var usesSecrets = false
        var keys: [JunosStatement] = []
        let bgp = groups.map { bgpGroup($0, router, accepted, &usesSecrets, &keys) }
        if !bgp.isEmpty { statements.append(.block("protocols", [.block("bgp", bgp)])) }
        return JunosConfig(
            statements: statements, usesSecrets: usesSecrets,
            secrets: keys.isEmpty ? [] : [.block("protocols", [.block("bgp", keys)])])
    }

    // MARK: Names

    static func termName(_ pool: String) -> String { "pool-\(pool)" }
    /// The longest suffix a group or policy name gets after the fabric's name.
    static let longestSuffix = "-reflectors-external-import"

    // MARK: routing-options

    func routingOptions(_ router: Router) -> JunosStatement? {
        var children: [JunosStatement] = []
        if router.routerIDIsDeclared, let id = router.routerID?.value { children.append(.leaf("router-id", "\(id)")) }
        if let asn = router.asn?.value {
            children.append(
                .block("autonomous-system", key: JunosKey("\(asn)", element: "as-number"), [], layout: .inline))
        }
        // The aggregates exist only while a contributing route does; the
        // export policies below announce them.
        let aggregates = Set(router.aggregates)
        let v4 = aggregates.filter(\.network.isV4).sorted()
        let v6 = aggregates.filter { !$0.network.isV4 }.sorted()
        if !v4.isEmpty { children.append(aggregate(v4)) }
        if !v6.isEmpty { children.append(.block("rib", key: JunosKey("inet6.0"), [aggregate(v6)])) }
        return children.isEmpty ? nil : .block("routing-options", children)
    }

    private func aggregate(_ prefixes: [IPPrefix]) -> JunosStatement {
        .block("aggregate", prefixes.map { .block("route", key: JunosKey("\($0)"), []) })
    }

    // MARK: Policies

    /// Routes from the group's peers, pool by pool; then reject, always.
    ///
    /// Reflectors pass on their clients' host routes, whatever the pool's
    /// `announce` says (`aggregate` is what this router announces upstream):
    /// exactly the /32s (/128s) of the addresses the pool hands out, or any
    /// prefix inside the pool when the pool leaves `announce` unset. Nodes
    /// announce their pod blocks: exactly those inside the pool.
    func importPolicy(_ group: PeerGroup, _ accepted: [Pool]) -> JunosStatement {
        let podBlocks = Set(group.sessions.flatMap { hosts[$0.a.name]?.podBlocks.map(\.value) ?? [] })
        var terms: [JunosStatement] = accepted.compactMap { pool in
            let prefix = pool.prefix.value
            let hostLength = prefix.network.isV4 ? 32 : 128
            let filters: [JunosStatement]
            switch (group.kind, pool.announce) {
            case (.reflectors, .hostRoutes), (.reflectors, .aggregate):
                filters = AddressCover.prefixes(of: pool).map { prefix in
                    routeFilter(
                        prefix,
                        prefix.length == hostLength
                            ? .flag("exact") : .leaf("prefix-length-range", "/\(hostLength)-/\(hostLength)"))
                }
            case (.reflectors, nil):
                filters = [routeFilter(prefix, .leaf("upto", "/\(hostLength)"))]
            case (.nodes, _):
                filters = podBlocks.filter { prefix.contains($0) }.sorted().map { routeFilter($0, .flag("exact")) }
            }
            guard !filters.isEmpty else { return nil }
            return .block(
                "term", key: JunosKey(Self.termName(pool.name)),
                [.block("from", filters), .block("then", [.flag("accept")], layout: .inline)])
        }
        terms.append(rejectAll)
        return .block("policy-statement", key: JunosKey(group.importPolicy), terms, replace: true)
    }

    /// Routes to the group's peers: the declared aggregates exactly, the
    /// default route when a peer (or a reflector's client) takes it; then
    /// reject, always. Over iBGP the default keeps its upstream next hop,
    /// which the reflectors cannot resolve (they drop the route), so it
    /// leaves with `next-hop self`.
    func exportPolicy(_ name: String, _ aggregates: [IPPrefix], defaultRoute: Bool, type: PeeringType) -> JunosStatement
    {
        var terms: [JunosStatement] = []
        if !aggregates.isEmpty {
            terms.append(
                .block(
                    "term", key: JunosKey("aggregates"),
                    [
                        .block("from", Array(Set(aggregates)).sorted().map { routeFilter($0, .flag("exact")) }),
                        .block("then", [.flag("accept")], layout: .inline),
                    ]))
        }
        if defaultRoute {
            let then: JunosStatement =
                type == .internal
                ? .block("then", [.block("next-hop", [.flag("self")], layout: .inline), .flag("accept")])
                : .block("then", [.flag("accept")], layout: .inline)
            terms.append(
                .block(
                    "term", key: JunosKey("default-route"),
                    [
                        .block(
                            "from", [routeFilter(IPPrefix(network: .v4(IPv4Address(0)), length: 0), .flag("exact"))]),
                        then,
                    ]))
        }
        terms.append(rejectAll)
        return .block("policy-statement", key: JunosKey(name), terms, replace: true)
    }

    private var rejectAll: JunosStatement {
        .block("term", key: JunosKey("reject-all"), [.block("then", [.flag("reject")], layout: .inline)])
    }

    private func routeFilter(_ prefix: IPPrefix, _ match: JunosStatement) -> JunosStatement {
        .block("route-filter", key: JunosKey("\(prefix)", element: "address"), [match], layout: .inline)
    }

    // MARK: BGP groups

    struct PeerGroup {
        let name: String
        let kind: Kind
        let type: PeeringType
        /// With the peer's end first: `aAddress` is the neighbor.
        let sessions: [BGPSession]
        let wantsDefault: Bool
        var importPolicy: String { name + "-import" }
        var exportPolicy: String { name + "-export" }

        enum Kind: String { case reflectors, nodes }
    }

    /// The router's sessions, one group per kind of peer and peering type.
    func peerGroups(_ router: Router) -> [PeerGroup] {
        let sessions = router.sessions.map { input.ir.sessions[$0] }
        var groups: [PeerGroup] = []
        for kind in [PeerGroup.Kind.reflectors, .nodes] {
            let mine = sessions.filter { kind == .reflectors ? $0.role == .upstream : $0.role == .leaf }
                .sorted { ($0.aAddress, $0.a.name) < ($1.aAddress, $1.a.name) }
            let types = Set(mine.map(\.type))
            for type in [PeeringType.internal, .external] where types.contains(type) {
                let members = mine.filter { $0.type == type }
                // Named with the type even when there is one, so a peer
                // changing its AS never renames the group and strands the old one.
                let name = "\(fabric)-\(kind.rawValue)-\(type.rawValue)"
                let wantsDefault = members.contains { s in
                    switch kind {
                    case .reflectors:
                        (reflectors[s.a.name]?.clients ?? []).contains { hosts[$0]?.importRoutes == .defaultRoute }
                    case .nodes: hosts[s.a.name]?.importRoutes == .defaultRoute
                    }
                }
                groups.append(
                    PeerGroup(name: name, kind: kind, type: type, sessions: members, wantsDefault: wantsDefault))
            }
        }
        return groups
    }

    /// The group, and into `keys` the same group holding only its
    /// `authentication-key`s, for the secrets overlay.
    mutating func bgpGroup(
        _ group: PeerGroup, _ router: Router, _ accepted: [Pool], _ usesSecrets: inout Bool,
        _ keys: inout [JunosStatement]
    ) -> JunosStatement {
        var children: [JunosStatement] = [.leaf("type", group.type.rawValue)]
        let what =
            group.kind == .reflectors
            ? "route reflectors of fabric \(fabric)" : "nodes of fabric \(fabric) that peer with this leaf"
        children.append(.leaf("description", "fabricc: \(what)", text: true))
        if let local = group.sessions.first?.bAddress { children.append(.leaf("local-address", "\(local)")) }
        children.append(.leaf("import", group.importPolicy))
        children.append(contentsOf: families(group, router, accepted))
        children.append(.leaf("export", group.exportPolicy))
        let peerASes = Set(group.sessions.map(\.aAS))
        let groupAS = group.type == .external && peerASes.count == 1 ? peerASes.first : nil
        if let groupAS { children.append(.leaf("peer-as", "\(groupAS)")) }
        if let ttl = router.multihop { children.append(.block("multihop", [.leaf("ttl", "\(ttl)")])) }
        let bfd = Self.bfd(multihop: router.multihop != nil)
        let groupBFD = !group.sessions.isEmpty && group.sessions.allSatisfy(\.bfd)
        if groupBFD { children.append(bfd) }
        let passwords = Set(group.sessions.map(\.password))
        let groupPassword = passwords.count == 1 ? passwords.first! : nil
        var overlay: [JunosStatement] = []
        if let secret = groupPassword {
            usesSecrets = true
            if let key = authenticationKey(secret) { overlay.append(.leaf("authentication-key", key, text: true)) }
        }
        for s in group.sessions {
            var neighbor: [JunosStatement] = [.leaf("description", neighborDescription(s.a), text: true)]
            if group.type == .external, groupAS == nil { neighbor.append(.leaf("peer-as", "\(s.aAS)")) }
            if !groupBFD, s.bfd { neighbor.append(bfd) }
            if groupPassword == nil, let secret = s.password {
                usesSecrets = true
                if let key = authenticationKey(secret) {
                    overlay.append(
                        .block(
                            "neighbor", key: JunosKey("\(s.aAddress)"), [.leaf("authentication-key", key, text: true)]))
                }
            }
            children.append(.block("neighbor", key: JunosKey("\(s.aAddress)"), neighbor))
        }
        // Merged, never replaced: the overlay adds keys to the group the
        // configuration just loaded.
        if !overlay.isEmpty { keys.append(.block("group", key: JunosKey(group.name), overlay)) }
        return .block("group", key: JunosKey(group.name), children, replace: true)
    }

    /// BFD as the BIRD speakers at the other end run it. Junos would pick
    /// multihop BFD for every iBGP session on its own, while BIRD runs
    /// single-hop BFD on a `direct` session: the mode is written out so both
    /// ends agree. 300 ms is a common floor for BFD on a routing engine; the
    /// BIRD ends ask for 100 ms, and the slower end governs.
    static func bfd(multihop: Bool) -> JunosStatement {
        .block(
            "bfd-liveness-detection",
            [
                .leaf("minimum-interval", "\(bfdInterval)"),
                .leaf("multiplier", "\(bfdMultiplier)"),
                .leaf("session-mode", multihop ? "multihop" : "single-hop"),
            ])
    }
    static let bfdInterval = 300
    static let bfdMultiplier = 3

    /// `family inet unicast` (and `inet6` when an accepted pool is IPv6),
    /// each with a prefix limit sized from what the peers can send.
    func families(_ group: PeerGroup, _ router: Router, _ accepted: [Pool]) -> [JunosStatement] {
        var families: [JunosStatement] = []
        for (family, v4) in [("inet", true), ("inet6", false)] {
            let pools = accepted.filter { $0.prefix.value.network.isV4 == v4 }
            let aggregates = router.aggregates.filter { $0.network.isV4 == v4 }
            guard v4 || !pools.isEmpty || !aggregates.isEmpty else { continue }
            let capacity: UInt128
            switch group.kind {
            case .reflectors:
                // A reflector passes on its clients' routes inside the accepted pools.
                capacity = pools.reduce(UInt128(0)) { Self.saturatingSum($0, Self.routeCount($1)) }
            case .nodes:
                // A node announces exactly its pod blocks; the import takes
                // those inside the accepted pools.
                capacity = UInt128(
                    group.sessions.map { s in
                        Set(hosts[s.a.name]?.podBlocks.map(\.value) ?? []).filter { block in
                            block.network.isV4 == v4 && pools.contains { $0.prefix.value.contains(block) }
                        }.count
                    }.max() ?? 0)
            }
            let maximum = max(1, min(UInt128(router.prefixLimit ?? Int(UInt32.max)), capacity, UInt128(UInt32.max)))
            // `accepted-prefix-limit` counts the routes the import policy
            // accepts; `prefix-limit` would count every route received, so
            // one route too many that the policy rejects anyway would tear
            // the session down.
            let limit: JunosStatement = .block(
                "accepted-prefix-limit",
                [
                    .leaf("maximum", "\(maximum)"),
                    // Past the limit the session goes down and retries after
                    // five minutes, as BIRD's `action restart` does.
                    .block(
                        "teardown", key: JunosKey("80", element: "limit-threshold"),
                        [
                            .block("idle-timeout", key: JunosKey("5", element: "timeout"), [])
                        ], layout: .inline),
                ])
            families.append(.block("family", [.block(family, [.block("unicast", [limit])])], layout: .prefix))
        }
        return families
    }

    /// How many routes a pool's term in a reflector group can accept.
    static func routeCount(_ pool: Pool) -> UInt128 {
        switch pool.announce {
        case .hostRoutes, .aggregate:
            AddressCover.count(of: pool)
        // Every prefix inside the pool: at most twice its addresses.
        case nil:
            pool.prefix.value.size > UInt128.max / 2 ? UInt128.max : pool.prefix.value.size * 2 - 1
        }
    }

    /// IPv6 pools hold more addresses than any counter: stop at the top.
    static func saturatingSum(_ a: UInt128, _ b: UInt128) -> UInt128 {
        a > UInt128.max - b ? UInt128.max : a + b
    }

    func neighborDescription(_ device: Device) -> String {
        let text: String? =
            switch device {
            case .reflector(let n): reflectors[n]?.description?.value
            case .host(let n): hosts[n]?.description?.value
            case .router: nil
            }
        return Self.neighborDescription(device, text)
    }

    /// `reflector rr1: <the intent's description>`, the neighbor's description.
    static func neighborDescription(_ device: Device, _ text: String?) -> String {
        let kind =
            switch device {
            case .reflector: "reflector"
            case .host: "node"
            case .router: "router"
            }
        return "\(kind) \(device.name)" + (text.map { ": \($0)" } ?? "")
    }

    /// The secret's value, when Junos can carry it; reported once otherwise.
    mutating func authenticationKey(_ secret: String) -> String? {
        guard let value = secrets.value(secret, &diagnostics) else { return nil }
        if JunosText.quoted(value) != nil { return value }
        secrets.report(
            secret,
            Diagnostic(
                .junosString, at: secrets.span(of: secret),
                "secret `\(secret)` holds a line break or a control character"
            )
            .labelled("used as a Junos authentication-key")
            .note("a Junos string cannot carry a line break or a control character; the value is not shown")
            .help("choose a password of printable characters"), &diagnostics)
        return nil
    }
}
