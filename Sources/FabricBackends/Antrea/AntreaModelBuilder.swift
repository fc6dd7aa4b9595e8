import FabricSema

/// Builds the Antrea view model from the IR: the pools that a namespace or
/// a pod draws from become `IPPool`s, sorted by name.
enum AntreaModelBuilder {
    /// The pools Antrea allocates from: those bound by a namespace or a pod.
    static func boundPools(_ ir: FabricIR) -> [Pool] {
        let names = Set(ir.namespaces.flatMap(\.pools) + ir.pods.compactMap(\.pool))
        return ir.pools.filter { names.contains($0.name) }.sorted { $0.name < $1.name }
    }

    static func model(_ ir: FabricIR) -> AntreaModel {
        let namespaces = Dictionary(ir.namespaces.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        return AntreaModel(
            version: ir.settings.antreaVersion,
            pools: boundPools(ir).compactMap(pool),
            namespaces: ir.namespaces.sorted { $0.name < $1.name }.map {
                AntreaNamespace(name: $0.name, pools: $0.pools)
            },
            pods: ir.pods.map { pod in
                let namespace = pod.namespace ?? "default"
                let bound = namespaces[namespace]?.pools.contains { $0 == pod.pool } ?? false
                return AntreaPod(
                    name: pod.name, namespace: namespace, pool: bound ? nil : pod.pool,
                    ips: pod.ips.map(\.value.description))
            }.sorted { ($0.namespace, $0.name) < ($1.namespace, $1.name) })
    }

    /// nil without a gateway, which `validate` reports first.
    static func pool(_ pool: Pool) -> AntreaPool? {
        guard let gateway = pool.gateway?.value else { return nil }
        return AntreaPool(
            name: pool.name, isV4: pool.prefix.value.network.isV4, ranges: ranges(pool), gateway: gateway.description,
            prefixLength: pool.prefix.value.length, vlan: pool.vlan.flatMap { $0 == 0 ? nil : $0 })
    }

    /// The pool's ranges as written; without any, its prefix less the
    /// network address, the IPv4 broadcast address and the gateway (what
    /// the checker treats as allocatable), as start/end ranges.
    static func ranges(_ pool: Pool) -> [AntreaRange] {
        if !pool.ranges.isEmpty {
            return pool.ranges.map(\.value).map { r in
                r.cidr.map { .cidr($0.description) } ?? .startEnd(r.first.description, r.last.description)
            }
        }
        let p = pool.prefix.value
        let first = p.first + 1
        let last = p.network.isV4 ? p.last - 1 : p.last
        guard p.hostBits >= 2, first <= last else { return [] }
        var spans: [(UInt128, UInt128)] = []
        if let g = pool.gateway?.value.number, g >= first, g <= last {
            if g > first { spans.append((first, g - 1)) }
            if g < last { spans.append((g + 1, last)) }
        } else {
            spans = [(first, last)]
        }
        return spans.compactMap { a, b in
            guard let start = p.network.withNumber(a), let end = p.network.withNumber(b) else { return nil }
            return .startEnd(start.description, end.description)
        }
    }
}
