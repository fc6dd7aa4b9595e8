import FabricBase
import FabricDiagnostics
import FabricSyntax

/// Builds the ``FabricIR`` from expanded instances: declares every name,
/// reads and types every attribute, resolves references, applies defaults
/// and derives BGP sessions.
struct IRBuilder {
    var reader = AttributeReader()
    var symbols: SymbolTable
    var ir = FabricIR()
    /// "kind/name/attribute" for attributes written but invalid (already
    /// reported), so nothing downstream reports them missing again.
    var invalid: Set<String> = []
    /// "kind/name" of every declaration built: the first of duplicates wins
    /// (a loop can make two with the same span, so spans cannot tell).
    var built: Set<String> = []
    /// Secrets set on a device itself ("kind/name"), which win over the
    /// fabric default on a session.
    var explicitPasswords: [String: String] = [:]
    /// Where each secret, VLAN, cluster, namespace and pool that built is in
    /// its `ir` array, by "kind/name": references look them up by name, and
    /// a search of the array per reference is quadratic in a big fabric.
    var builtAt: [String: Int] = [:]

    func declaration<T>(_ kind: String, _ name: String, in array: [T]) -> T? {
        builtAt[kind + "/" + name].map { array[$0] }
    }

    /// Each device's own `bfd`, by "kind/name", where it is written.
    var explicitBFD: [String: Located<Bool>] = [:]

    /// Remembers a device's own `bfd`: sessions take it from either end.
    mutating func rememberBFD(_ i: Instance, _ kind: String, _ name: String) {
        guard let v = reader.keyword(i, "bfd", OnOff.self),
            let span = i.attributes.last(where: { $0.name == "bfd" })?.span
        else { return }
        explicitBFD[kind + "/" + name] = Located(v == .on, span)
    }

    /// A device's own `password`, remembered; the fabric default otherwise.
    mutating func password(_ i: Instance, _ kind: String, _ name: String) -> String? {
        if let own = reference(i, "password", "secret") {
            explicitPasswords[kind + "/" + name] = own
            return own
        }
        return ir.settings.password?.value
    }

    /// True the first time a declaration of this kind and name is built.
    mutating func firstBuild(_ kind: String, _ name: String) -> Bool {
        built.insert(kind + "/" + name).inserted
    }

    /// Notes `attribute` of `i` as invalid when it is written but `value` is nil.
    mutating func track<T>(_ value: T?, _ i: Instance, _ attribute: String) -> T? {
        if value == nil, i.attribute(attribute) != nil, let name = i.name?.value {
            invalid.insert("\(i.keyword)/\(name)/\(attribute)")
        }
        return value
    }

    var diagnostics: [Diagnostic] { reader.diagnostics + symbols.diagnostics }

    init(sources: SourceMap) {
        symbols = SymbolTable(sources: sources)
    }

    /// Takes `roots` over: each top-level declaration is freed once it is
    /// built, so the instance tree and the IR, the two largest things a big
    /// fabric has in memory, are not both whole at once.
    static func build(_ roots: consuming [Instance], sources: SourceMap) -> (FabricIR, [Diagnostic]) {
        var b = IRBuilder(sources: sources)
        b.declareAll(roots)
        // Only kinds and names: keeping the instances would keep them all
        // alive while the IR is built.
        let mayBeUnused = roots.compactMap { r -> (kind: String, name: Located<String>)? in
            guard r.keyword == "secret" || r.keyword == "vlan" || r.keyword == "cluster", let name = r.name else {
                return nil
            }
            return (r.keyword, name)
        }
        b.buildAll(&roots)
        b.deriveSessions()
        b.reportUnused(mayBeUnused)
        return (b.ir, b.diagnostics)
    }

    /// Where `i` comes from. The loop trace is copied, not shared: the IR
    /// then holds nothing of the instance, whose memory (freed once its
    /// declaration is built) is reused whole for the IR instead of being
    /// riddled with surviving traces.
    func origin(_ i: Instance) -> Origin {
        Origin(
            span: i.name?.span ?? i.keywordSpan,
            loop: i.origin.map { LoopTrace(bindings: $0.bindings.map { $0 }, loop: $0.loop) })
    }

    // MARK: pass 1 — names

    mutating func declareAll(_ roots: [Instance]) {
        // Size the tables once: a fabric may declare 100,000 VMs. The loops
        // go by index and read single fields: `for i in roots` would copy
        // (retain and release) every instance with all its attributes.
        var counts: [String: Int] = [:]
        for r in roots.indices {
            counts[roots[r].keyword, default: 0] += 1
            if roots[r].keyword == "host" {
                for c in roots[r].children.indices { counts[roots[r].children[c].keyword, default: 0] += 1 }
            }
        }
        for (kind, n) in counts { symbols.tables[kind, default: [:]].reserveCapacity(n) }
        let origins = { (p: SymbolTable.Position) -> LoopTrace? in
            p.child < 0 ? roots[Int(p.root)].origin : roots[Int(p.root)].children[Int(p.child)].origin
        }
        for r in roots.indices {
            let keyword = roots[r].keyword
            guard let name = roots[r].name else { continue }
            guard keyword != "fabric" else { continue }
            guard let checked = reader.checkControl(name) else {
                symbols.hasDuplicates = true
                continue
            }
            // A host declared twice (a pasted block) is one mistake: its
            // networks and VMs are not declared a second time.
            if symbols.declare(keyword, checked, at: .init(root: Int32(r), child: -1), origins: origins),
                keyword == "host"
            {
                for c in roots[r].children.indices {
                    let childKeyword = roots[r].children[c].keyword
                    guard childKeyword == "network" || childKeyword == "vm" else { continue }
                    if let n = roots[r].children[c].name, let checkedChild = reader.checkControl(n) {
                        _ = symbols.declare(
                            childKeyword, checkedChild, at: .init(root: Int32(r), child: Int32(c)), origins: origins)
                    } else {
                        // Not every declaration is in the table: look each up.
                        symbols.hasDuplicates = true
                    }
                }
            }
        }
    }

    mutating func reference(_ i: Instance, _ attribute: String, _ kind: String) -> String? {
        guard let n = reader.name(i, attribute) else { return nil }
        return symbols.resolve(kind, n, from: attribute)
    }

    /// A resolved reference, located at the name written.
    mutating func locatedReference(_ i: Instance, _ attribute: String, _ kind: String) -> Located<String>? {
        guard let n = reader.name(i, attribute), let resolved = symbols.resolve(kind, n, from: attribute) else {
            return nil
        }
        return Located(resolved, n.span)
    }

    /// The names of a reference list, each once: a name given twice is an
    /// error (`reflectors rr1, rr1` is one reflector, not two).
    mutating func references(_ i: Instance, _ attribute: String, _ kind: String) -> [String] {
        referencesLocated(i, attribute, kind).map(\.value)
    }

    mutating func referencesLocated(_ i: Instance, _ attribute: String, _ kind: String) -> [Located<String>] {
        var seen: [String: Span] = [:]
        var out: [Located<String>] = []
        for n in reader.names(i, attribute) {
            if let first = seen[n.value] {
                reader.report(
                    Diagnostic(.duplicateName, at: n.span, "`\(n.value)` is listed twice in `\(attribute)`")
                        .labelled("listed again").label(first, "first listed here"))
                continue
            }
            seen[n.value] = n.span
            if let r = symbols.resolve(kind, n, from: attribute, exclude: seen) { out.append(Located(r, n.span)) }
        }
        return out
    }

    /// A `vlan` value: an ID, or the ID of a named `vlan`.
    mutating func vlanID(_ i: Instance, _ attribute: String, allowUntagged: Bool, trunkHint: Bool = false) -> Int? {
        let (id, ref) = reader.vlan(i, attribute, allowUntagged: allowUntagged, trunkHint: trunkHint)
        if let id { return id.value }
        guard let ref, let name = symbols.resolve("vlan", ref, from: attribute) else { return nil }
        return declaration("vlan", name, in: ir.vlans)?.id
    }

    /// VLANs and ranges, where a name is a `vlan` declaration.
    mutating func vlanRanges(_ i: Instance, _ attribute: String) -> [ClosedRange<Int>] {
        vlanRangesLocated(i, attribute).map(\.value)
    }

    mutating func vlanRangesLocated(_ i: Instance, _ attribute: String) -> [Located<ClosedRange<Int>>] {
        var names: [Located<String>] = []
        let ranges = reader.vlanRanges(i, attribute) {
            names.append($0)
            return nil
        }
        let named = names.compactMap { n -> Located<ClosedRange<Int>>? in
            guard let v = symbols.resolve("vlan", n, from: attribute), let id = declaration("vlan", v, in: ir.vlans)?.id
            else { return nil }
            return Located(id...id, n.span)
        }
        return ranges + named
    }

    /// Every reflector's name by cluster, for hosts that peer with all of
    /// their cluster's; first read once all reflectors are built (hosts
    /// are built after them).
    lazy var reflectorsByCluster: [String: [String]] = Dictionary(
        grouping: ir.reflectors.filter { $0.cluster != nil }, by: { $0.cluster! }
    )
    .mapValues { $0.map(\.name) }

    /// Pools sorted by first address, for finding the pool an address is in.
    lazy var poolIndex: [Pool] = ir.pools.sorted {
        ($0.prefix.value.network.bits, $0.prefix.value.first) < ($1.prefix.value.network.bits, $1.prefix.value.first)
    }

    /// The pool `ip` may be drawn from (in its ranges, or its prefix when it
    /// has none); pools do not overlap, or that is reported. A binary search.
    mutating func pool(containing ip: IPAddress) -> String? {
        let index = poolIndex
        var lo = 0
        var hi = index.count - 1
        var found: Pool?
        while lo <= hi {
            let mid = (lo + hi) / 2
            if (index[mid].prefix.value.network.bits, index[mid].prefix.value.first) <= (ip.bits, ip.number) {
                found = index[mid]
                lo = mid + 1
            } else {
                hi = mid - 1
            }
        }
        return found.flatMap { $0.allows(ip) ? $0.name : nil }
    }

    mutating func required<T>(_ value: T?, _ i: Instance, _ attribute: String, _ example: String) -> T? {
        if value == nil, i.attribute(attribute) == nil {
            reader.report(
                Diagnostic(
                    .missingAttribute, at: i.name?.span ?? i.keywordSpan,
                    "\(i.keyword) `\(i.name?.value ?? "")` has no `\(attribute)`"
                )
                .labelled("needs `\(attribute)`")
                .help("add `\(attribute) \(example)`"))
        }
        return value
    }

    // MARK: pass 2 — declarations

    /// Builds every declaration, in dependency order, and empties `roots`.
    mutating func buildAll(_ roots: inout [Instance]) {
        let ordered = [
            "fabric", "secret", "vlan", "cluster", "openstack", "pool", "network", "router", "reflector", "namespace",
            "pod", "host",
        ]
        var byKind = Dictionary(grouping: roots, by: \.keyword)
        roots = []
        for kind in ordered {
            // Popped in order, so each instance is freed after it is built.
            var pending = byKind.removeValue(forKey: kind) ?? []
            pending.reverse()
            while let i = pending.popLast() {
                if kind != "fabric", let name = i.name,
                    !symbols.contains(kind, name.value) || !firstBuild(kind, name.value)
                {
                    continue
                }
                switch kind {
                case "fabric": buildFabric(i)
                case "secret": buildSecret(i)
                case "vlan": buildVLAN(i)
                case "cluster": buildCluster(i)
                case "openstack": buildCloud(i)
                case "pool": buildPool(i)
                case "network": if let n = buildNetwork(i, owner: nil) { ir.networks.append(n) }
                case "router": buildRouter(i)
                case "reflector": buildReflector(i)
                case "namespace": buildNamespace(i)
                case "pod": buildPod(i)
                case "host": buildHost(i)
                default: break
                }
            }
        }
        finishReflectors()
    }

    mutating func buildFabric(_ i: Instance) {
        var s = FabricSettings()
        s.name = i.name?.value ?? "fabric"
        if i.name != nil { s.origin = origin(i) }
        s.asn = track(reader.asn(i), i, "asn")
        if s.asn == nil, i.attribute("asn") != nil { invalid.insert("fabric/asn") }
        // Located at its first value, even when that one is not an address.
        s.gateway = reader.address(i, "gateway").flatMap { g in
            reader.first(i, "gateway").map { Located(g.value, $0.span) }
        }
        s.mtu = reader.mtu(i)
        s.underlayMTU = reader.mtu(i, "underlay-mtu")
        s.antreaVersion = reader.keyword(i, "antrea-version", AntreaVersion.self) ?? .v1beta1
        s.importLimit = reader.integer(i, "import-limit", 1...100_000_000, what: "import limit")?.value
        s.holdTimeSeconds = reader.seconds(i, "hold-time", 3...65535, allowZero: true)?.value
        s.keepaliveSeconds = reader.seconds(i, "keepalive", 1...21845)?.value
        if let gr = reader.keyword(i, "graceful-restart", OnOff.self) { s.gracefulRestart = gr == .on }
        if let hold = s.holdTimeSeconds, hold > 0, let keepalive = s.keepaliveSeconds, keepalive >= hold,
            let span = reader.first(i, "keepalive")?.span
        {
            reader.report(
                Diagnostic(.numberRange, at: span, "keepalive \(keepalive)s is not shorter than the hold time \(hold)s")
                    .labelled("must be shorter than `hold-time`")
                    .help("a keepalive of a third of the hold time is usual: `keepalive \(max(1, hold / 3))s`"))
        }
        // Located at the whole attribute, the last one written (as a
        // backend's diagnostic about the setting has always pointed).
        func statement(_ name: String) -> Span? { i.attributes.last { $0.name == name }?.span }
        s.password = reference(i, "password", "secret").flatMap { v in statement("password").map { Located(v, $0) } }
        if let t = reader.keyword(i, "ttl-security", OnOff.self) { s.ttlSecurity = t == .on }
        if let b = reader.keyword(i, "bfd", OnOff.self) { s.bfd = b == .on }
        if let r = reader.keyword(i, "bgp-roles", OnOff.self), let span = statement("bgp-roles") {
            s.bgpRoles = Located(r == .on, span)
        }
        s.birdVersion = reader.string(i, "bird-version").flatMap { v in
            statement("bird-version").map { Located(v.value, $0) }
        }
        _ = reader.string(i, "description")
        ir.settings = s
    }

    enum OnOff: String { case on, off }

    /// An IPv4 address as a router ID, where it is written.
    static func ipv4(_ a: Located<IPAddress>) -> Located<IPv4Address>? {
        if case .v4(let v4) = a.value { Located(v4, a.span) } else { nil }
    }

    /// `peering`, located at its first value (also when that is invalid).
    mutating func peering(_ i: Instance) -> Located<PeeringType>? {
        reader.keyword(i, "peering", PeeringType.self).flatMap { p in
            reader.first(i, "peering").map { Located(p, $0.span) }
        }
    }

    mutating func buildSecret(_ i: Instance) {
        guard let name = i.name?.value else { return }
        let env = reader.string(i, "env")
        let file = reader.string(i, "file")
        _ = reader.string(i, "description")
        if let env, let file {
            reader.report(
                Diagnostic(.typeMismatch, at: file.span, "secret `\(name)` has both `env` and `file`")
                    .labelled("second source").label(env.span, "first source").help("keep one of them"))
            return
        }
        guard
            let source = env.map({ Secret.Source.environment($0.value) }) ?? file.map({ Secret.Source.file($0.value) })
        else {
            if i.attribute("env") == nil, i.attribute("file") == nil {
                reader.report(
                    Diagnostic(
                        .missingAttribute, at: i.name?.span ?? i.keywordSpan,
                        "secret `\(name)` says neither where to read it"
                    )
                    .labelled("needs `env` or `file`")
                    .help("add `env \"BGP_PASSWORD\"` or `file \"/run/secrets/bgp\"`"))
            }
            return
        }
        builtAt["secret/" + name] = ir.secrets.count
        ir.secrets.append(Secret(name: name, source: source, origin: origin(i)))
    }

    mutating func buildVLAN(_ i: Instance) {
        guard let name = i.name?.value else { return }
        _ = reader.string(i, "description")
        let (id, ref) = reader.vlan(i, "id", allowUntagged: false)
        if let ref {
            reader.report(
                Diagnostic(.typeMismatch, at: ref.span, "`id` takes a VLAN ID, found a name").labelled(
                    "expected 1 to 4094"))
        }
        guard let id = required(id, i, "id", "100") else { return }
        builtAt["vlan/" + name] = ir.vlans.count
        ir.vlans.append(VLAN(name: name, id: id.value, origin: origin(i)))
    }

    mutating func buildCluster(_ i: Instance) {
        guard let name = i.name?.value else { return }
        _ = reader.string(i, "description")
        let id = reader.ipv4(i, "cluster-id")
        let asn = reader.asn(i)
        if asn == nil, i.attribute("asn") != nil { invalid.insert("cluster/\(name)/asn") }
        builtAt["cluster/" + name] = ir.clusters.count
        ir.clusters.append(
            Cluster(
                name: name, clusterID: id, asn: asn,
                gateway: reader.address(i, "gateway")?.value, origin: origin(i)))
    }

    mutating func buildCloud(_ i: Instance) {
        guard let name = i.name?.value else { return }
        _ = reader.string(i, "description")
        let range = vlanRangesLocated(i, "vlan-range").first
        ir.clouds.append(
            Cloud(
                name: name, vlans: range, nestedIn: reference(i, "nested-in", "openstack"),
                physnet: reader.string(i, "physnet")?.value, origin: origin(i)))
    }

    mutating func buildPool(_ i: Instance) {
        guard let name = i.name?.value else { return }
        _ = reader.string(i, "description")
        let prefix = reader.prefix(i, "prefix")
        let ranges = reader.addressRanges(i, "range")
        let gateway = reader.address(i, "gateway")
        let vlan = vlanID(i, "vlan", allowUntagged: false)
        let announce = reader.keyword(i, "announce", Announce.self)
        guard let prefix = required(prefix, i, "prefix", "10.0.0.0/24") else { return }
        builtAt["pool/" + name] = ir.pools.count
        ir.pools.append(
            Pool(
                name: name, prefix: prefix, ranges: ranges, gateway: gateway,
                vlan: vlan, announce: announce, origin: origin(i)))
    }

    mutating func buildNetwork(_ i: Instance, owner: String?) -> Network? {
        guard let name = i.name?.value else { return nil }
        _ = reader.string(i, "description")
        let prefix = reader.prefix(i, "prefix")
        let gateway = reader.address(i, "gateway")
        let vlan = vlanID(i, "vlan", allowUntagged: true)
        guard let prefix = required(prefix, i, "prefix", "10.0.0.0/24") else { return nil }
        return Network(name: name, prefix: prefix, gateway: gateway, vlan: vlan, owner: owner, origin: origin(i))
    }

    mutating func buildRouter(_ i: Instance) {
        guard let name = i.name?.value else { return }
        let description = reader.string(i, "description")
        let asn = track(reader.asn(i), i, "asn")
        let address = track(reader.address(i, "address"), i, "address")
        let routerID = reader.ipv4(i, "router-id")
        ir.routers.append(
            Router(
                name: name,
                platform: reader.keyword(i, "platform", RouterPlatform.self) ?? .generic,
                role: reader.keyword(i, "role", RouterRole.self) ?? .border,
                asn: asn, address: address,
                routerID: routerID ?? address.flatMap(Self.ipv4),
                routerIDIsDeclared: routerID != nil,
                peering: peering(i),
                accept: references(i, "accept", "pool"),
                aggregates: reader.prefixes(i, "aggregate").map(\.value),
                prefixLimit: reader.integer(i, "prefix-limit", 1...100_000_000, what: "prefix limit")?.value,
                multihop: reader.integer(i, "multihop", 1...255, what: "multihop TTL")?.value,
                password: password(i, "router", name), description: description, origin: origin(i)))
        rememberBFD(i, "router", name)
    }

    mutating func buildReflector(_ i: Instance) {
        guard let name = i.name?.value else { return }
        let description = reader.string(i, "description")
        let address = track(required(reader.address(i, "address"), i, "address", "10.0.0.11"), i, "address")
        let asn = track(reader.asn(i), i, "asn")
        let routerID = reader.ipv4(i, "router-id")
        let clusterID = reader.ipv4(i, "cluster-id")
        let peering = peering(i)
        let cluster = reference(i, "cluster", "cluster")
        if cluster == nil, i.attribute("cluster") != nil { invalid.insert("reflector/\(name)/asn") }
        let clusterDecl = cluster.flatMap { declaration("cluster", $0, in: ir.clusters) }
        let ownID = routerID ?? address.flatMap(Self.ipv4)
        let here = origin(i)
        ir.reflectors.append(
            Reflector(
                name: name, address: address,
                asn: asn ?? clusterDecl?.asn ?? ir.settings.asn,
                routerID: ownID, cluster: cluster,
                // An inherited cluster ID is reported at the reflector that inherits it.
                clusterID: clusterID ?? (clusterDecl?.clusterID?.value ?? ownID?.value).map { Located($0, here.span) },
                upstream: references(i, "upstream", "router"),
                peering: peering,
                importLimit: reader.integer(i, "import-limit", 1...100_000_000, what: "import limit")?.value
                    ?? ir.settings.importLimit,
                password: password(i, "reflector", name), description: description, origin: here))
        rememberBFD(i, "reflector", name)
    }

    mutating func buildNamespace(_ i: Instance) {
        guard let name = i.name?.value else { return }
        _ = reader.string(i, "description")
        builtAt["namespace/" + name] = ir.namespaces.count
        ir.namespaces.append(Namespace(name: name, pools: references(i, "pool", "pool"), origin: origin(i)))
    }

    mutating func buildPod(_ i: Instance) {
        guard let name = i.name?.value else { return }
        _ = reader.string(i, "description")
        let ips = reader.addresses(i, "ip")
        let namespace = required(reference(i, "namespace", "namespace"), i, "namespace", "ns-db")
        // Its pool: its own `pool`, else its namespace's pool of its family.
        var pool = reference(i, "pool", "pool")
        if pool == nil, i.attribute("pool") == nil,
            let ns = namespace.flatMap({ declaration("namespace", $0, in: ir.namespaces) })
        {
            let v4 = ips.first?.value.isV4 ?? true
            pool = ns.pools.first { declaration("pool", $0, in: ir.pools)?.prefix.value.network.isV4 == v4 }
        }
        ir.pods.append(Pod(name: name, namespace: namespace, pool: pool, ips: ips, origin: origin(i)))
    }

    /// Every reflector's clients, sorted, once all hosts are known.
    mutating func finishReflectors() {
        var clients: [String: [String]] = [:]
        for h in ir.hosts {
            for r in h.reflectors { clients[r, default: []].append(h.name) }
        }
        for k in ir.reflectors.indices {
            ir.reflectors[k].clients = (clients[ir.reflectors[k].name] ?? []).sorted()
        }
    }

    // MARK: unused

    /// Secrets, VLANs and clusters generate nothing unless something refers
    /// to them. A loop that declares many unused ones is one warning.
    mutating func reportUnused(_ declared: [(kind: String, name: Located<String>)]) {
        // A misspelt reference is the likelier story; say that first.
        guard !diagnostics.contains(where: { $0.severity == .error }) else { return }
        var log = RepeatLog()
        for (kind, name) in declared {
            // A declaration that did not build has its own error already.
            guard symbols.tables[kind]?[name.value]?.span == name.span, !symbols.isUsed(kind, name.value),
                builtAt[kind + "/" + name.value] != nil
            else { continue }
            log.report(.unused, at: name.span) {
                Diagnostic(.unused, at: name.span, "\(kind) `\(name.value)` is never used").labelled(
                    "nothing refers to it")
            }
        }
        reader.diagnostics += log.diagnostics
    }
}
