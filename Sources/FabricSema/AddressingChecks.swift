import FabricBase
import FabricDiagnostics
import FabricSyntax

/// Address plan checks. Everything here is a sort and a sweep or a hash
/// lookup: no pairwise loops, so 100,000 prefixes stay fast.
struct AddressingChecks {
    let ir: FabricIR
    let sources: SourceMap
    var diagnostics: [Diagnostic] = []
    /// Pools with a range already reported as broken: their members are not
    /// checked against them again.
    var brokenPools: Set<String> = []

    /// The findings, and the pools whose ranges are broken (nothing is
    /// allocated from those).
    static func run(_ ir: FabricIR, sources: SourceMap) -> (diagnostics: [Diagnostic], brokenPools: Set<String>) {
        var c = AddressingChecks(ir: ir, sources: sources)
        c.overlaps()
        c.subnetGateways()
        c.poolRanges()
        c.duplicateAddresses()
        c.membersAndExhaustion()
        c.foreignSubnets()
        c.nestedVLANs()
        c.kubernetesBindings()
        return (c.diagnostics, c.brokenPools)
    }

    struct Subnet {
        let what: String
        let name: String
        let prefix: IPPrefix
        let span: Span
        let origin: Origin
        /// Declaration order, to tell apart subnets one loop line made.
        let index: Int
    }

    var subnets: [Subnet] {
        let pools = ir.pools.map {
            Subnet(
                what: "pool", name: $0.name, prefix: $0.prefix.value, span: $0.prefix.span, origin: $0.origin, index: 0)
        }
        let networks = ir.networks.map {
            Subnet(
                what: "network", name: $0.name, prefix: $0.prefix.value, span: $0.prefix.span, origin: $0.origin,
                index: 0)
        }
        return (pools + networks).enumerated().map { k, s in
            Subnet(what: s.what, name: s.name, prefix: s.prefix, span: s.span, origin: s.origin, index: k)
        }
    }

    /// Pod blocks are carved out of a pool (the aggregate the leaves
    /// announce), so they are swept against each other only.
    var podBlocks: [Subnet] {
        ir.hosts.flatMap { h in
            h.podBlocks.map {
                Subnet(what: "pod block of", name: h.name, prefix: $0.value, span: $0.span, origin: h.origin, index: 0)
            }
        }.enumerated().map { k, s in
            Subnet(what: s.what, name: s.name, prefix: s.prefix, span: s.span, origin: s.origin, index: k)
        }
    }

    mutating func overlaps() {
        sweep(subnets)
        sweep(podBlocks)
    }

    /// Sort by start (longer prefixes first on ties) and sweep, keeping the
    /// subnet that reaches furthest: anything starting before its end overlaps it.
    mutating func sweep(_ all: [Subnet]) {
        let sorted = all.sorted {
            ($0.prefix.network.bits, $0.prefix.first, $0.prefix.length, $0.span) < (
                $1.prefix.network.bits, $1.prefix.first, $1.prefix.length, $1.span
            )
        }
        var reach: Subnet?
        for s in sorted {
            if let r = reach, r.prefix.network.bits == s.prefix.network.bits, s.prefix.first <= r.prefix.last {
                let sLater = (s.span, s.index) > (r.span, r.index)
                let later = sLater ? s : r
                let earlier = sLater ? r : s
                let relation =
                    r.prefix == s.prefix
                    ? "is the same subnet as"
                    : (r.prefix.contains(s.prefix) || s.prefix.contains(r.prefix)
                        ? "lies inside or around" : "overlaps")
                var d = Diagnostic(
                    .overlap, at: later.span, "\(later.what) `\(later.name)` overlaps \(earlier.what) `\(earlier.name)`"
                )
                .labelled("\(later.prefix) \(relation) \(earlier.prefix)")
                .label(earlier.span, "`\(earlier.name)` declared here")
                if let loop = later.origin.loop { d = d.note("`\(later.name)` comes from \(loop.describe(sources))") }
                if let loop = earlier.origin.loop {
                    d = d.note("`\(earlier.name)` comes from \(loop.describe(sources))")
                }
                diagnostics.append(d)
                if s.prefix.last > r.prefix.last { reach = s }
            } else {
                reach = s
            }
        }
    }

    /// A gateway must be a usable address of its subnet.
    func gatewayProblem(_ g: IPAddress, _ p: IPPrefix) -> String? {
        if g.bits != p.network.bits {
            return "an \(g.isV4 ? "IPv4" : "IPv6") gateway for an \(p.network.isV4 ? "IPv4" : "IPv6") subnet"
        }
        if !p.contains(g) { return "\(g) is not in \(p)" }
        if p.network.isV4, p.length < 31 {
            if g.number == p.first { return "\(g) is the network address of \(p)" }
            if g.number == p.last { return "\(g) is the broadcast address of \(p)" }
        }
        return nil
    }

    mutating func subnetGateways() {
        for (what, name, prefix, gateway) in ir.pools.map({ ("pool", $0.name, $0.prefix, $0.gateway) })
            + ir.networks.map({ ("network", $0.name, $0.prefix, $0.gateway) })
        {
            guard let g = gateway, let problem = gatewayProblem(g.value, prefix.value) else { continue }
            diagnostics.append(
                Diagnostic(
                    g.value.bits == prefix.value.network.bits ? .gatewayOutside : .familyMismatch,
                    at: g.span, "gateway of \(what) `\(name)` is outside its subnet"
                )
                .labelled(problem)
                .label(prefix.span, "the subnet"))
        }
    }

    mutating func poolRanges() {
        for decl in ir.pools {
            let pool = (name: decl.name, prefix: decl.prefix.value, gateway: decl.gateway)
            let prefixSpan = decl.prefix.span
            if pool.prefix.network.isV4 ? pool.prefix.length >= 32 : pool.prefix.length >= 128 {
                diagnostics.append(
                    Diagnostic(.prefixTooLong, at: prefixSpan, "pool `\(pool.name)` has no room for addresses")
                        .labelled("a /\(pool.prefix.length) holds one address")
                        .help(
                            pool.prefix.network.isV4
                                ? "a pool needs a subnet; Antrea refuses IPv4 prefix lengths of 32"
                                : "a pool needs a subnet, not a single address"))
            }
            var inside: [(AddressRange, Span)] = []
            for range in decl.ranges {
                let (r, span) = (range.value, range.span)
                if r.first.bits != pool.prefix.network.bits {
                    diagnostics.append(
                        Diagnostic(
                            .familyMismatch, at: span, "range of pool `\(pool.name)` is of another address family"
                        )
                        .labelled("\(r.first.isV4 ? "IPv4" : "IPv6") range").label(
                            prefixSpan, "\(pool.prefix.network.isV4 ? "IPv4" : "IPv6") subnet"))
                } else if !pool.prefix.contains(r.first) || !pool.prefix.contains(r.last) {
                    brokenPools.insert(pool.name)
                    diagnostics.append(
                        Diagnostic(.rangeOutside, at: span, "range of pool `\(pool.name)` is outside its subnet")
                            .labelled("\(r.first)..\(r.last) is not inside \(pool.prefix)").label(
                                prefixSpan, "the subnet"))
                } else {
                    inside.append((r, span))
                }
            }
            inside.sort { $0.0.first.number < $1.0.first.number }
            var reach: (AddressRange, Span)?
            for (r, span) in inside {
                if let (last, lastSpan) = reach, r.first.number <= last.last.number {
                    let (later, earlier) = span > lastSpan ? (span, lastSpan) : (lastSpan, span)
                    diagnostics.append(
                        Diagnostic(.overlappingRanges, at: later, "ranges of pool `\(pool.name)` overlap")
                            .labelled("shares addresses with another range").label(earlier, "this range"))
                    if r.last.number > last.last.number { reach = (r, span) }
                } else {
                    reach = (r, span)
                }
            }
            if let g = pool.gateway, let (r, span) = inside.first(where: { $0.0.contains(g.value) }) {
                diagnostics.append(
                    Diagnostic(
                        .gatewayInRange, at: g.span, "gateway of pool `\(pool.name)` is inside an allocatable range"
                    )
                    .labelled("\(g.value) could be handed out").label(span, "range \(r.first)..\(r.last)"))
            }
        }
    }

    /// Who holds an address; formatted only when there is a duplicate.
    enum Holder {
        case host(Int)
        case vm(Int, Int)
        case reflector(Int)
        case router(Int)
        case pod(Int)
        case poolGateway(Int)
        case networkGateway(Int)
        case anycast

        /// Subnet gateways (and the anycast gateway, the same on every host)
        /// can only clash with each other inside overlapping subnets, which
        /// is reported as an overlap.
        var isGateway: Bool {
            switch self {
            case .poolGateway, .networkGateway, .anycast: true
            default: false
            }
        }
    }

    func describe(_ h: Holder) -> String {
        switch h {
        case .host(let k): "host `\(ir.hosts[k].name)`"
        case .vm(let k, let v): "VM `\(ir.hosts[k].vms[v].name)`"
        case .reflector(let k): "reflector `\(ir.reflectors[k].name)`"
        case .router(let k): "router `\(ir.routers[k].name)`"
        case .pod(let k): "pod `\(ir.pods[k].name)`"
        case .poolGateway(let k): "the gateway of pool `\(ir.pools[k].name)`"
        case .networkGateway(let k): "the gateway of network `\(ir.networks[k].name)`"
        case .anycast: "the anycast gateway"
        }
    }

    /// Every address given to one thing: hosts, reflectors, routers, VMs,
    /// pods and gateways. Sorting brings equal addresses together.
    mutating func duplicateAddresses() {
        var all: [(IPAddress, Span, Holder)] = []
        all.reserveCapacity(ir.hosts.reduce(ir.hosts.count) { $0 + $1.vms.count })
        for (k, h) in ir.hosts.enumerated() {
            if let a = h.address { all.append((a.value, a.span, .host(k))) }
            // By index: `for vm in` would copy every VM (a fabric has 100,000).
            for v in h.vms.indices { if let ip = h.vms[v].ip { all.append((ip.value, ip.span, .vm(k, v))) } }
        }
        for (k, r) in ir.reflectors.enumerated() {
            if let a = r.address { all.append((a.value, a.span, .reflector(k))) }
        }
        for (k, r) in ir.routers.enumerated() { if let a = r.address { all.append((a.value, a.span, .router(k))) } }
        for (k, p) in ir.pods.enumerated() {
            for ip in p.ips { all.append((ip.value, ip.span, .pod(k))) }
        }
        for (k, p) in ir.pools.enumerated() { if let g = p.gateway { all.append((g.value, g.span, .poolGateway(k))) } }
        for (k, n) in ir.networks.enumerated() {
            if let g = n.gateway { all.append((g.value, g.span, .networkGateway(k))) }
        }
        if let g = ir.settings.gateway { all.append((g.value, g.span, .anycast)) }
        all.sort { ($0.0, $0.1) < ($1.0, $1.1) }
        var k = 0
        while k < all.count {
            var j = k + 1
            while j < all.count, all[j].0 == all[k].0 {
                if case .pod(let a) = all[j].2, case .pod(let b) = all[k].2, a == b {
                    j += 1
                    continue
                }
                if all[j].2.isGateway, all[k].2.isGateway {
                    j += 1
                    continue
                }
                diagnostics.append(
                    Diagnostic(.duplicateAddress, at: all[j].1, "\(all[j].0) is used twice")
                        .labelled("given to \(describe(all[j].2))").label(
                            all[k].1, "already used by \(describe(all[k].2))"))
                j += 1
            }
            k = j
        }
    }

    /// How many addresses a pool can hand out (``Pool/allocatable``), saturating.
    func capacity(_ pool: Pool) -> UInt128 {
        pool.allocatable.reduce(UInt128(0)) {
            let (sum, overflow) = $0.addingReportingOverflow($1.count)
            return overflow ? UInt128.max : sum
        }
    }

    /// "the network address" / "the broadcast address" of an IPv4 subnet
    /// shorter than /31, or nil.
    func reservedInSubnet(_ ip: IPAddress, _ p: IPPrefix) -> String? {
        guard p.network.isV4, p.length < 31, p.contains(ip) else { return nil }
        if ip.number == p.first { return "the network address" }
        if ip.number == p.last { return "the broadcast address" }
        return nil
    }

    /// Every pool and network prefix, for "is this address anywhere?".
    lazy var declaredSubnets = PrefixIndex(ir.pools.map(\.prefix.value) + ir.networks.map(\.prefix.value))

    mutating func membersAndExhaustion() {
        let pools = Dictionary(uniqueKeysWithValues: ir.pools.map { ($0.name, $0) })
        let networks = Dictionary(uniqueKeysWithValues: ir.networks.map { ($0.name, $0) })
        func check(_ ip: IPAddress, span: Span, who: @autoclosure () -> String, pool: String?, network: String?) {
            if let pool, let p = pools[pool], !brokenPools.contains(pool) {
                let prefix = p.prefix.value
                if ip.bits != prefix.network.bits {
                    diagnostics.append(
                        Diagnostic(
                            .familyMismatch, at: span,
                            "\(who()) has an \(ip.isV4 ? "IPv4" : "IPv6") address from an \(prefix.network.isV4 ? "IPv4" : "IPv6") pool"
                        )
                        .labelled("\(ip)").label(p.prefix.span, "pool `\(pool)`"))
                } else if let problem = reservedInSubnet(ip, prefix) {
                    diagnostics.append(
                        Diagnostic(.addressOutsidePool, at: span, "\(who()) has \(problem) of pool `\(pool)`")
                            .labelled("\(ip) cannot be handed out").label(p.prefix.span, "the pool"))
                } else if !p.allows(ip) {
                    diagnostics.append(
                        Diagnostic(.addressOutsidePool, at: span, "\(who())'s address is outside pool `\(pool)`")
                            .labelled("\(ip) is not in \(p.ranges.isEmpty ? "\(prefix)" : "the pool's ranges")")
                            .label(p.ranges.first?.span ?? p.prefix.span, "the pool's addresses"))
                }
            }
            if let network, let n = networks[network], n.prefix.value.contains(ip),
                let problem = reservedInSubnet(ip, n.prefix.value)
            {
                diagnostics.append(
                    Diagnostic(.addressOutsidePool, at: span, "\(who()) has \(problem) of network `\(network)`")
                        .labelled("\(ip) cannot be handed out").label(n.prefix.span, "the network"))
            }
            if let network, let n = networks[network], !n.prefix.value.contains(ip) {
                diagnostics.append(
                    Diagnostic(.addressOutsidePool, at: span, "\(who())'s address is outside network `\(network)`")
                        .labelled("\(ip) is not in \(n.prefix.value)").label(n.prefix.span, "the network"))
            }
        }
        for h in ir.hosts.indices {
            let announces = ir.hosts[h].platform != .esxi && !ir.hosts[h].reflectors.isEmpty
            let vms = ir.hosts[h].vms
            // By index: `for vm in` would copy every VM.
            for v in vms.indices {
                let pool = vms[v].pool
                guard let located = vms[v].ip else { continue }
                let (ip, span) = (located.value, located.span)
                if announces, pool == nil, vms[v].network == nil, !declaredSubnets.holds(ip) {
                    diagnostics.append(
                        Diagnostic(.unannounced, at: span, "VM `\(vms[v].name)`'s address is in no pool")
                            .labelled("\(ip) will be filtered by the reflectors")
                            .help("declare the pool it comes from: `pool NAME { prefix …; announce host-routes }`"))
                }
                check(ip, span: span, who: "VM `\(vms[v].name)`", pool: pool, network: vms[v].network)
            }
        }
        let namespaces = Dictionary(uniqueKeysWithValues: ir.namespaces.map { ($0.name, $0) })
        for pod in ir.pods {
            for located in pod.ips {
                let (ip, span) = (located.value, located.span)
                // A dual-stack pod: each address belongs to the pool of its
                // family, its own or its namespace's.
                var pool = pod.pool
                if let p = pool, let decl = pools[p], decl.prefix.value.network.bits != ip.bits,
                    let ns = pod.namespace.flatMap({ namespaces[$0] }),
                    let other = ns.pools.first(where: { pools[$0]?.prefix.value.network.bits == ip.bits })
                {
                    pool = other
                }
                check(ip, span: span, who: "pod `\(pod.name)`", pool: pool, network: nil)
            }
        }
        // Exhaustion is found where addresses are handed out (``Allocator``).
    }

    /// S1: a VM's address may not come from a subnet another host owns.
    /// Owned subnets are sorted once; each VM is a binary search.
    mutating func foreignSubnets() {
        let owned = ir.networks.filter { $0.owner != nil }.sorted {
            ($0.prefix.value.network.bits, $0.prefix.value.first) < (
                $1.prefix.value.network.bits, $1.prefix.value.first
            )
        }
        guard !owned.isEmpty else { return }
        for h in ir.hosts {
            for v in h.vms.indices {
                guard let ip = h.vms[v].ip?.value else { continue }
                var lo = 0
                var hi = owned.count - 1
                var found: Network?
                while lo <= hi {
                    let mid = (lo + hi) / 2
                    let p = owned[mid].prefix.value
                    if (p.network.bits, p.first) <= (ip.bits, ip.number) {
                        if p.contains(ip) { found = owned[mid] }
                        lo = mid + 1
                    } else {
                        hi = mid - 1
                    }
                }
                guard let net = found, let owner = net.owner, owner != h.name else { continue }
                let vm = h.vms[v]
                let own = h.networks.map { "`\($0.prefix.value)`" }
                diagnostics.append(
                    Diagnostic(
                        .foreignSubnet, at: vm.ip?.span ?? vm.origin.span,
                        "VM `\(vm.name)` on host `\(h.name)` has an address of host `\(owner)`"
                    )
                    .labelled("\(ip) is in `\(owner)`'s subnet")
                    .label(net.prefix.span, "\(net.prefix.value) belongs to `\(owner)`")
                    .note("the provider routes \(net.prefix.value) to `\(owner)` only, so the VM would be unreachable")
                    .help(
                        own.isEmpty
                            ? "move the VM to `\(owner)`, or put it on a shared VLAN"
                            : "take an address from \(own.joined(separator: ", ")), or move the VM to `\(owner)`"))
            }
        }
    }

    /// S4: an inner cloud's tenant VLANs must not overlap any cloud it is
    /// nested in, however deep; a `nested-in` chain leading back is a cycle.
    mutating func nestedVLANs() {
        let clouds = Dictionary(uniqueKeysWithValues: ir.clouds.map { ($0.name, $0) })
        for inner in ir.clouds {
            var seen: Set<String> = [inner.name]
            var current = inner.nestedIn
            while let name = current {
                if name == inner.name {
                    // One report per cycle, at its first member by name.
                    if inner.name == seen.min() {
                        let members = seen.sorted().map { "`\($0)`" }.joined(separator: ", ")
                        diagnostics.append(
                            Diagnostic(
                                .nestingCycle, at: inner.origin.span,
                                seen.count == 1
                                    ? "`\(inner.name)` is nested in itself"
                                    : "clouds \(members) are nested in each other"
                            )
                            .labelled("its `nested-in` chain leads back here"))
                    }
                    break
                }
                guard seen.insert(name).inserted, let outer = clouds[name] else { break }
                if let innerRange = inner.vlans, let outerRange = outer.vlans,
                    innerRange.value.overlaps(outerRange.value)
                {
                    let (range, o) = (innerRange.value, outerRange.value)
                    let shared = max(range.lowerBound, o.lowerBound)...min(range.upperBound, o.upperBound)
                    diagnostics.append(
                        Diagnostic(
                            .nestedVLANOverlap, at: innerRange.span,
                            "VLANs of `\(inner.name)` overlap those of `\(name)`, which it runs inside"
                        )
                        .labelled(
                            "VLAN\(shared.count > 1 ? "s \(shared.lowerBound)..\(shared.upperBound)" : " \(shared.lowerBound)") also in `\(name)`"
                        )
                        .label(outerRange.span, "`\(name)`'s tenant VLANs")
                        .note("frames tagged by the inner Neutron would be claimed by the outer one")
                        .help("give `\(inner.name)` a range outside \(o.lowerBound)..\(o.upperBound)"))
                    break
                }
                current = outer.nestedIn
            }
        }
    }

    mutating func kubernetesBindings() {
        let pools = Dictionary(uniqueKeysWithValues: ir.pools.map { ($0.name, $0) })
        for ns in ir.namespaces {
            let families = ns.pools.compactMap { pools[$0] }.map(\.prefix.value.network.isV4)
            if families.filter({ $0 }).count > 1 || families.filter({ !$0 }).count > 1 {
                diagnostics.append(
                    Diagnostic(
                        .namespacePools, at: ns.origin.span,
                        "namespace `\(ns.name)` is bound to several pools of one address family"
                    )
                    .labelled("\(ns.pools.map { "`\($0)`" }.joined(separator: ", "))")
                    .help("bind one IPv4 and at most one IPv6 pool"))
            }
        }
        for pod in ir.pods {
            for v4 in [true, false] {
                let same = pod.ips.filter { $0.value.isV4 == v4 }
                guard same.count > 1 else { continue }
                diagnostics.append(
                    Diagnostic(
                        .podAddresses, at: same[1].span,
                        "pod `\(pod.name)` has more than one \(v4 ? "IPv4" : "IPv6") address"
                    )
                    .labelled("second \(v4 ? "IPv4" : "IPv6") address").label(same[0].span, "first one"))
            }
        }
    }
}

/// Prefixes sorted by start, answering "does any hold this address?" by a
/// binary search plus a look back over earlier prefixes that reach past the
/// address (nested ones), which `reach` bounds.
struct PrefixIndex {
    let sorted: [IPPrefix]
    /// The furthest end among the prefixes up to each index (same family).
    let reach: [UInt128]

    init(_ prefixes: [IPPrefix]) {
        sorted = prefixes.sorted { ($0.network.bits, $0.first) < ($1.network.bits, $1.first) }
        var r: [UInt128] = []
        r.reserveCapacity(sorted.count)
        for (k, p) in sorted.enumerated() {
            r.append(k > 0 && sorted[k - 1].network.bits == p.network.bits ? max(r[k - 1], p.last) : p.last)
        }
        reach = r
    }

    func holds(_ ip: IPAddress) -> Bool {
        var lo = 0
        var hi = sorted.count - 1
        var last = -1
        while lo <= hi {
            let mid = (lo + hi) / 2
            if (sorted[mid].network.bits, sorted[mid].first) <= (ip.bits, ip.number) {
                last = mid
                lo = mid + 1
            } else {
                hi = mid - 1
            }
        }
        var k = last
        while k >= 0, sorted[k].network.bits == ip.bits, reach[k] >= ip.number {
            if sorted[k].contains(ip) { return true }
            k -= 1
        }
        return false
    }
}
