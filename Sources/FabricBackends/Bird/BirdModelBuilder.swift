import FabricBase
import FabricDiagnostics
import FabricSema

/// Builds the view model of each device's config from the IR: which
/// sessions, which filters, which prefix sets, and every limit.
struct BirdModelBuilder {
    let input: BackendInput
    var diagnostics: [Diagnostic] = []
    private let hosts: [String: Host]
    private let routers: [String: Router]
    private let pools: [String: Pool]
    /// Each IPv4 pool's host routes as prefixes and their count, worked out
    /// once for every config (a host's and each reflector's name the same
    /// pools: ten thousand clients, thirty thousand covers before).
    private let covers: [String: PoolCover]
    private let poolGateways: PoolGateways
    private var secrets: SecretLookup
    /// Each BGP password as a BIRD string, by secret, for the secrets files;
    /// a secret that cannot be written is absent (and reported once, in
    /// `diagnostics`); empty when the build writes no secrets.
    private var passwords: [String: String] = [:]

    init(input: BackendInput) {
        self.input = input
        hosts = Dictionary(input.ir.hosts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        routers = Dictionary(input.ir.routers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        pools = Dictionary(input.ir.pools.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let v4 = pools.values.filter { $0.prefix.value.network.isV4 }
        covers = Dictionary(
            uniqueKeysWithValues: zip(
                v4.map(\.name),
                ParallelRender.map(v4) {
                    PoolCover(prefixes: AddressCover.prefixes(of: $0), count: AddressCover.count(of: $0))
                }))
        poolGateways = input.ir.poolGateways
        secrets = SecretLookup(input)
        // The sessions with a BIRD side (not a Calico node's leaves): this reads
        // exactly the secrets the configs use; after it, building a config
        // changes nothing and the configs can be built on every core.
        // Without `--secrets` no value is read: the configs only name them.
        if secrets.writesSecrets {
            let calico = input.ir.calicoNodes
            let birdSessions = input.ir.sessions.filter { BirdBackend.hasBirdSide($0, calico: calico) }
            for secret in birdSessions.compactMap(\.password) where passwords[secret] == nil {
                if let value = password(secret) { passwords[secret] = value }
            }
        }
    }

    var settings: FabricSettings { input.ir.settings }

    // MARK: Hosts

    func hostConfig(_ host: Host) -> BirdConfig {
        var symbols = BirdSymbols()
        var sets = PrefixSets()
        let sessions = host.sessions.map { input.ir.sessions[$0] }
        let secretSymbols = Self.secretSymbols(sessions, &symbols)
        let toReflectors = sessions.filter { $0.role == .reflectorClient }
        let toLeaves = sessions.filter { $0.role == .leaf }
        let importsDefault = host.importRoutes == .defaultRoute

        // A hypervisor's VM routes are learned from its kernel (the node
        // wiring routes each VM's /32 to its interface), so a route lives
        // exactly as long as the host routes the VM. Pod blocks are static.
        var routes: [BirdStaticRoute] = []
        if !toLeaves.isEmpty {
            for block in host.podBlocks.map(\.value).sorted() where block.network.isV4 {
                routes.append(BirdStaticRoute(prefix: "\(block)", comment: "pod block"))
            }
        }
        let hostPools = toReflectors.isEmpty ? nil : sets.hostRoutes(of: host.pools, covers, &symbols)
        let podBlocks =
            toLeaves.isEmpty
            ? nil
            : sets.exact(
                host.podBlocks.map(\.value).filter(\.network.isV4), named: "pod_blocks",
                comment: "The pod blocks node \(host.name) announces, exactly.", &symbols)

        var out: [BirdSession] = []
        for s in toReflectors {
            out.append(
                session(
                    s, secretSymbols, name: symbols.symbol("rr", s.b.name), comment: "Route reflector \(s.b.name).",
                    description: "reflector \(s.b.name)", local: (s.aAddress, s.aAS), neighbor: (s.bAddress, s.bAS),
                    connection: "direct", ttlSecurity: settings.ttlSecurity, rrClient: false, clusterID: nil,
                    nextHop: "self",
                    importLimit: limit(explicit: settings.importLimit, capacity: 1),
                    importFilter: importsDefault ? "filter fab_default_route" : "none",
                    exportFilter: "filter fab_to_reflectors"))
        }
        for s in toLeaves {
            let leaf = routers[s.b.name]
            out.append(
                session(
                    s, secretSymbols, name: symbols.symbol("leaf", s.b.name), comment: "Leaf switch \(s.b.name).",
                    description: "leaf \(s.b.name)", local: (s.aAddress, s.aAS), neighbor: (s.bAddress, s.bAS),
                    connection: leaf?.multihop.map { "multihop \($0)" } ?? "direct", ttlSecurity: false,
                    rrClient: false, clusterID: nil,
                    nextHop: "self",
                    importLimit: limit(explicit: settings.importLimit, capacity: 1),
                    importFilter: importsDefault ? "filter fab_default_route" : "none",
                    exportFilter: "filter fab_to_leaves",
                    // As calico-node's BIRD: a leaf that restarts is tried
                    // again within seconds, not after BIRD's two minutes.
                    connectRetry: "5", errorWait: "5,30"))
        }

        var header = [generatedBy()]
        // No VM count: the config does not depend on the VMs (it learns
        // their routes), so a VM that starts, stops or moves changes no byte.
        if !toReflectors.isEmpty {
            header.append(
                "Hypervisor \(host.name) (\(host.platform.rawValue)), AS \(asText(toReflectors[0].aAS)), pools \(host.pools.isEmpty ? "none" : host.pools.joined(separator: ", ")), reflectors \(toReflectors.map(\.b.name).joined(separator: ", "))."
            )
        }
        if !toLeaves.isEmpty {
            header.append(
                "Node \(host.name) (\(host.platform.rawValue)), AS \(asText(toLeaves[0].aAS)): \(count(host.podBlocks.count, "pod block")), leaves \(toLeaves.map(\.b.name).joined(separator: ", "))."
            )
        }
        header.append("Imports \(importsDefault ? "only the default route" : "no routes") from its neighbours.")
        return BirdConfig(
            header: header,
            secrets: Self.secretsInclude(host.name, secretSymbols),
            routerID: host.routerID.map { "\($0.value)" } ?? "",
            bfd: out.contains(where: \.bfd) ? .standard : nil,
            prefixSets: sets.all,
            staticRoutes: routes.isEmpty
                ? nil
                : BirdStatic(name: "fab_routes", comment: Self.staticComment, routes: routes),
            kernel: Self.kernel(
                learn: hostPools, bgp: importsDefault, podBlocks: podBlocks,
                unrouted: host.hasUnroutedVMs(pools: poolGateways)),
            clientFunction: false,
            defaultRouteFilter: importsDefault,
            exportToReflectors: toReflectors.isEmpty ? nil : BirdSetFilter(set: hostPools),
            exportToLeaves: toLeaves.isEmpty ? nil : BirdSetFilter(set: podBlocks),
            upstreamFilters: [],
            meshFilter: nil,
            sessions: out)
    }

    /// Why the pod blocks are blackholes, and why they reach the kernel.
    static let staticComment = [
        "What this node announces: its pod blocks. Each is also installed in the",
        "kernel as a blackhole, as Calico does: the routes to the node's pods are",
        "more specific and win, and a packet to an unallocated pod address is",
        "dropped here instead of looping between node and leaf until its TTL ends.",
    ]

    /// The kernel protocol: what the host learns from its kernel (its VM
    /// routes) and installs in it (the default route learned over BGP, its
    /// pod blocks' blackholes); nil when neither.
    static func kernel(learn: String?, bgp: Bool, podBlocks: String?, unrouted: Bool = false) -> BirdKernel? {
        var comment: [String] = []
        if learn != nil {
            comment += [
                "Learns the routes to this host's VMs from the kernel: each VM's /32 via",
                "its interface, which the host's wiring adds (docs/backends.md). A route",
                "is announced while the kernel holds it and withdrawn when the VM's",
                "interface goes (VM stopped or migrated away), with no reload of BIRD.",
            ]
            if unrouted {
                comment += [
                    "Some of its VMs have no anycast gateway (no pool, cluster or fabric",
                    "`gateway`): fabricc writes no wiring for them, so each is announced only",
                    "while something else routes it on this host.",
                ]
            }
        }
        switch (bgp, podBlocks != nil) {
        case (false, false):
            if learn == nil { return nil }
            comment.append("Installs nothing in the kernel.")
        case (true, false):
            comment.append("Installs the routes learned over BGP (the default route) in the kernel.")
        case (false, true):
            comment.append("Installs the pod blocks' blackholes in the kernel.")
        case (true, true):
            comment += [
                "Installs in the kernel the routes learned over BGP (the default route)",
                "and the pod blocks' blackholes.",
            ]
        }
        if learn == nil {
            comment[comment.count - 1].removeLast()
            comment[comment.count - 1] += "; learns nothing from it."
        }
        return BirdKernel(comment: comment, learn: learn, bgp: bgp, blackholes: podBlocks)
    }

    // MARK: Reflectors

    func reflectorConfig(_ reflector: Reflector) -> BirdConfig {
        var symbols = BirdSymbols()
        var sets = PrefixSets()
        let sessions = reflector.sessions.map { input.ir.sessions[$0] }
        let secretSymbols = Self.secretSymbols(sessions, &symbols)
        let clients = sessions.filter { $0.role == .reflectorClient }.sorted { $0.a.name < $1.a.name }
        let upstream = sessions.filter { $0.role == .upstream }.sorted { $0.b.name < $1.b.name }
        // A mesh session is stored once for both reflectors; `other` is the far end.
        let me = Device.reflector(reflector.name)
        let mesh = sessions.filter { $0.role == .reflectorMesh }.sorted {
            $0.other(than: me).name < $1.other(than: me).name
        }
        let clientHosts = clients.compactMap { hosts[$0.a.name] }
        let anyImportsDefault = clientHosts.contains { $0.importRoutes == .defaultRoute }
        let clientPools = Set(clientHosts.flatMap(\.pools))
        let allClientPools = Array(clientPools).sorted()

        var out: [BirdSession] = []
        for s in clients {
            let host = hosts[s.a.name]
            let set = sets.hostRoutes(of: host?.pools ?? [], covers, &symbols)
            let capacity = hostRouteCount(host?.pools ?? [])
            out.append(
                session(
                    s, secretSymbols, name: symbols.symbol("client", s.a.name), comment: "Client \(s.a.name).",
                    description: "client \(s.a.name)", local: (s.bAddress, s.bAS), neighbor: (s.aAddress, s.aAS),
                    connection: "direct", ttlSecurity: settings.ttlSecurity, rrClient: s.type == .internal,
                    clusterID: reflector.clusterID.map { "\($0.value)" },
                    nextHop: nil,
                    importLimit: limit(explicit: reflector.importLimit, capacity: capacity),
                    importFilter: set.map { "filter { fab_from_client(\($0)); }" } ?? "none",
                    exportFilter: host?.importRoutes == .defaultRoute ? "filter fab_default_route" : "none"))
        }
        var upstreamFilters: [BirdNamedSetFilter] = []
        for s in upstream {
            let router = routers[s.b.name]
            let accepted = (router?.accept ?? []).filter { clientPools.contains($0) }
            let filterName = symbols.symbol("fab_to", s.b.name)
            upstreamFilters.append(
                BirdNamedSetFilter(
                    name: filterName,
                    comment:
                        "Towards \(s.b.name): the clients' host routes inside the pools it accepts (\(accepted.isEmpty ? "none" : accepted.joined(separator: ", "))).",
                    set: sets.hostRoutes(of: accepted, covers, &symbols)))
            out.append(
                session(
                    s, secretSymbols, name: symbols.symbol("upstream", s.b.name),
                    comment:
                        "Border router \(s.b.name); the reflector is not in the forwarding path, so next hops stay the hypervisors'.",
                    description: "border router \(s.b.name)", local: (s.aAddress, s.aAS), neighbor: (s.bAddress, s.bAS),
                    connection: router?.multihop.map { "multihop \($0)" } ?? "direct", ttlSecurity: false,
                    rrClient: false, clusterID: nil,
                    nextHop: "keep",
                    importLimit: limit(explicit: settings.importLimit, capacity: 1),
                    importFilter: anyImportsDefault ? "filter fab_default_route" : "none",
                    exportFilter: "filter \(filterName)"))
        }
        let meshSet = mesh.isEmpty ? nil : sets.hostRoutes(of: allClientPools, covers, &symbols)
        for s in mesh {
            let (local, other, neighbor) =
                s.a == me
                ? ((s.aAddress, s.aAS), s.b, (s.bAddress, s.bAS)) : ((s.bAddress, s.bAS), s.a, (s.aAddress, s.aAS))
            out.append(
                session(
                    s, secretSymbols, name: symbols.symbol("mesh", other.name),
                    comment: "Reflector \(other.name) of the same cluster.",
                    description: "reflector \(other.name)", local: local, neighbor: neighbor,
                    connection: "direct", ttlSecurity: settings.ttlSecurity, rrClient: false, clusterID: nil,
                    nextHop: nil,
                    importLimit: limit(
                        explicit: settings.importLimit,
                        capacity: hostRouteCount(allClientPools) + (anyImportsDefault ? 1 : 0)),
                    importFilter: "filter fab_between_reflectors",
                    exportFilter: "filter fab_between_reflectors"))
        }

        var header = [generatedBy()]
        header.append(
            "Route reflector \(reflector.name)\(reflector.cluster.map { " of cluster \($0)" } ?? ""), AS \(reflector.asn.map { asText($0.value) } ?? "?"): \(count(clients.count, "client"))"
                + (upstream.isEmpty ? "" : ", upstream \(upstream.map(\.b.name).joined(separator: ", "))")
                + (mesh.isEmpty ? "" : ", reflectors \(mesh.map { $0.other(than: me).name }.joined(separator: ", "))")
                + ".")
        return BirdConfig(
            header: header,
            secrets: Self.secretsInclude(reflector.name, secretSymbols),
            routerID: reflector.routerID.map { "\($0.value)" } ?? "",
            bfd: out.contains(where: \.bfd) ? .standard : nil,
            prefixSets: sets.all,
            staticRoutes: nil,
            kernel: nil,
            clientFunction: !clients.isEmpty,
            defaultRouteFilter: anyImportsDefault,
            exportToReflectors: nil,
            exportToLeaves: nil,
            upstreamFilters: upstreamFilters,
            meshFilter: mesh.isEmpty
                ? nil
                : BirdMeshFilter(
                    set: meshSet, defaultRoute: anyImportsDefault,
                    clusterID: (reflector.clusterID ?? reflector.routerID).map { "\($0.value)" }),
            sessions: out)
    }

    // MARK: Pieces

    func session(
        _ s: BGPSession, _ secretSymbols: [String: String], name: String, comment: String, description: String,
        local: (IPAddress, UInt32), neighbor: (IPAddress, UInt32),
        connection: String, ttlSecurity: Bool, rrClient: Bool, clusterID: String?, nextHop: String?,
        importLimit: Int, importFilter: String, exportFilter: String,
        connectRetry: String? = nil, errorWait: String? = nil
    ) -> BirdSession {
        let external = s.type == .external
        return BirdSession(
            name: name, comment: comment,
            description: BirdText.quoted(description) ?? "\"\"",
            localAddress: "\(local.0)", localAS: "\(local.1)",
            neighborAddress: "\(neighbor.0)", neighborAS: "\(neighbor.1)",
            connection: connection, ttlSecurity: ttlSecurity, bfd: s.bfd, rrClient: rrClient, clusterID: clusterID,
            localRole: settings.usesBGPRoles && external ? "customer" : nil,
            gracefulRestart: settings.gracefulRestart.map { $0 ? "on" : "off" } ?? "aware",
            holdTime: settings.holdTimeSeconds.map(String.init),
            keepalive: settings.keepaliveSeconds.map(String.init),
            connectRetry: connectRetry, errorWait: errorWait,
            password: s.password.flatMap { secretSymbols[$0] },
            gatewayDirect: !external && connection == "direct",
            nextHop: nextHop,
            importLimit: "\(importLimit)",
            importFilter: importFilter, exportFilter: exportFilter)
    }

    // MARK: Secrets

    /// A constant per secret the sessions use, named before anything else
    /// so its name does not depend on the rest of the config.
    static func secretSymbols(_ sessions: [BGPSession], _ symbols: inout BirdSymbols) -> [String: String] {
        var out: [String: String] = [:]
        for secret in Set(sessions.compactMap(\.password)).sorted() { out[secret] = symbols.symbol("secret", secret) }
        return out
    }

    /// The file beside the config that defines those constants.
    static func secretsFileName(_ device: String) -> String { "\(device).secrets.conf" }

    static func secretsInclude(_ device: String, _ symbols: [String: String]) -> BirdSecretsInclude? {
        guard !symbols.isEmpty else { return nil }
        return BirdSecretsInclude(
            // Device names are letters, digits, `-`, `_` and `.` (FAB7104).
            file: BirdText.quoted(secretsFileName(device)) ?? "\"\"",
            constants: symbols.sorted { $0.key < $1.key }.map { (secret: $0.key, symbol: $0.value) })
    }

    /// The view model of `bird/<device>.secrets.conf`, for the secrets
    /// folder: the value of every constant the config uses; nil when the
    /// build writes no secrets or the device has no password.
    func secrets(of config: BirdConfig, device: String) -> BirdSecrets? {
        guard secrets.writesSecrets, let include = config.secrets else { return nil }
        let constants = include.constants.compactMap { c in
            passwords[c.secret].map {
                BirdSecretConstant(name: c.symbol, value: $0, secret: BirdText.comment(c.secret))
            }
        }
        return BirdSecrets(
            header: [
                generatedBy(), "BGP passwords of bird/\(device).conf, which includes this file: install it beside",
                "that config, readable by BIRD only, and keep it out of version control.",
            ],
            constants: constants)
    }

    /// The secret's value as a BIRD string; reported once when missing or
    /// unquotable (its value is never printed).
    private mutating func password(_ secret: String) -> String? {
        guard let value = secrets.value(secret, &diagnostics) else { return nil }
        // Linux refuses TCP-MD5 keys longer than 80 bytes (TCP_MD5SIG_MAXKEYLEN)
        // when the session starts; BIRD's parser would not notice.
        let problem =
            BirdText.quoted(value) == nil
            ? "holds a character BIRD cannot carry in a string"
            : value.utf8.count > 80 ? "is longer than 80 bytes, the most a TCP-MD5 key can hold" : nil
        guard let problem else { return BirdText.quoted(value) }
        secrets.report(
            secret,
            Diagnostic(.birdString, at: secrets.span(of: secret), "secret `\(secret)` \(problem)")
                .labelled("used as a BGP password")
                .note(
                    "BIRD strings have no escapes: a `\"`, a line break or a control character cannot be written, and Linux takes MD5 keys of at most 80 bytes"
                )
                .help("choose a password of printable characters without `\"`, at most 80 bytes"), &diagnostics)
        return nil
    }

    /// How many IPv4 host routes the pools can hold, for import limits.
    func hostRouteCount(_ names: [String]) -> Int {
        var total: UInt128 = 0
        for name in names.count == 1 ? names : Array(Set(names)) {
            guard let cover = covers[name] else { continue }
            total += cover.count
        }
        return Int(min(total, UInt128(UInt32.max)))
    }

    /// The session's import limit: what its filter can ever accept, lowered
    /// by an explicit limit; at least 1, which BIRD needs.
    func limit(explicit: Int?, capacity: Int) -> Int {
        max(1, min(explicit ?? Int(UInt32.max), capacity))
    }

    func generatedBy() -> String {
        "Generated by fabricc \(input.compilerVersion) from \(BirdText.comment(input.sourceName)); do not edit."
    }

    func asText(_ asn: UInt32) -> String { "\(asn)" }

    func count(_ n: Int, _ noun: String) -> String { "\(n) \(noun)\(n == 1 ? "" : "s")" }
}

/// A pool's allocatable addresses as the fewest prefixes (sorted), and how
/// many addresses they hold.
struct PoolCover: Sendable {
    let prefixes: [IPPrefix]
    let count: UInt128
}

/// The prefix sets of one config, shared by every session that needs the
/// same pools (so ten thousand clients of one pool share one set).
struct PrefixSets {
    private(set) var all: [BirdPrefixSet] = []
    private var byKey: [String: String] = [:]

    /// A set matching exactly the IPv4 host routes (/32s) of the pools; nil
    /// when they hold no IPv4 address.
    mutating func hostRoutes(of names: [String], _ covers: [String: PoolCover], _ symbols: inout BirdSymbols)
        -> String?
    {
        let ipv4 = (names.count == 1 ? names : Array(Set(names)).sorted()).filter { covers[$0] != nil }
        guard !ipv4.isEmpty else { return nil }
        let key = "pools\u{0}" + ipv4.joined(separator: "\u{0}")
        if let name = byKey[key] { return name }
        let prefixes = ipv4.count == 1 ? covers[ipv4[0]]!.prefixes : ipv4.flatMap { covers[$0]!.prefixes }.sorted()
        // Keyed by the list, so pools `a`+`b` and a pool `a_b` get distinct sets.
        let name = symbols.symbol("pools", ipv4.joined(separator: "\u{0}"))
        byKey[key] = name
        all.append(
            BirdPrefixSet(
                name: name,
                comment: "Host routes of pool\(ipv4.count == 1 ? "" : "s") \(ipv4.joined(separator: ", ")).",
                entries: commaSeparated(prefixes.map { "\($0){32,32}" })))
        return name
    }

    /// A set matching exactly these prefixes; nil when there are none.
    mutating func exact(_ prefixes: [IPPrefix], named base: String, comment: String, _ symbols: inout BirdSymbols)
        -> String?
    {
        guard !prefixes.isEmpty else { return nil }
        let name = symbols.symbol(exactly: base)
        all.append(
            BirdPrefixSet(
                name: name, comment: comment, entries: commaSeparated(Array(Set(prefixes)).sorted().map(\.description)))
        )
        return name
    }

    private func commaSeparated(_ items: [String]) -> [String] {
        items.enumerated().map { $0.offset == items.count - 1 ? $0.element : $0.element + "," }
    }
}

extension BGPSession {
    func other(than device: Device) -> Device { a == device ? b : a }
}
