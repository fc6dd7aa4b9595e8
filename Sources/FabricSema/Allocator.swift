import FabricBase
import FabricDiagnostics

/// Gives every VM and pod that names a pool but no address one from the
/// pool, and every VM without a MAC a locally administered one, keeping
/// what the lock already gives: an allocation never moves while its owner
/// keeps its name (and pool). An owner that left the intent leaves its
/// address and MAC in quarantine, handed to no one until released.
///
/// Order: lock lines are honoured first, then new owners take the lowest
/// free address, in declaration order. Everything is a hash lookup or a
/// forward scan, so 100,000 VMs cost one pass.
struct Allocator {
    var ir: FabricIR
    let lock: AllocationLock
    let brokenPools: Set<String>
    /// The entry as the user named it, for the commands the help gives.
    let entry: String
    var diagnostics: [Diagnostic] = []
    var next = AllocationLock()

    /// First MAC fabricc hands out: locally administered, unicast, and apart
    /// from the anycast gateways' 02:fa:….
    static let macBase: UInt64 = 0x0EFA_B000_0001
    static let macLast: UInt64 = 0x0EFA_B0FF_FFFF

    static func run(_ ir: inout FabricIR, lock: AllocationLock, brokenPools: Set<String>, entry: String)
        -> (AllocationLock, [Diagnostic])
    {
        var a = Allocator(ir: ir, lock: lock, brokenPools: brokenPools, entry: entry)
        ir = FabricIR()  // one copy of the model, not two, while VMs are written
        let addressesUnchanged = a.addresses()
        let macsUnchanged = a.macs()
        a.next.isUnchanged = addressesUnchanged && macsUnchanged
        ir = a.ir
        return (a.next, a.diagnostics)
    }

    // MARK: Addresses

    /// Who declares an address: enough to name them in a message.
    enum Holder {
        case declared(String, Span)
        case owner(AllocationLock.Owner)
        case quarantined(AllocationLock.Owner)
    }

    struct Claim {
        let owner: AllocationLock.Owner
        let pool: String
        let site: Span
        let host: Int
        let index: Int
    }

    /// VMs and pods that draw from a pool without an address, in
    /// declaration order.
    func claims() -> [Claim] {
        var out: [Claim] = []
        for h in ir.hosts.indices {
            // By index: `for vm in` would copy every VM.
            for v in ir.hosts[h].vms.indices where ir.hosts[h].vms[v].ip == nil {
                guard let pool = ir.hosts[h].vms[v].pool else { continue }
                out.append(
                    Claim(
                        owner: .init(.vm, ir.hosts[h].vms[v].name), pool: pool, site: ir.hosts[h].vms[v].origin.span,
                        host: h, index: v))
            }
        }
        for (k, pod) in ir.pods.enumerated() where pod.ips.isEmpty {
            guard let pool = pod.pool else { continue }
            out.append(Claim(owner: .init(.pod, pod.name), pool: pool, site: pod.origin.span, host: -1, index: k))
        }
        return out
    }

    func declaredAddresses() -> [IPAddress: Holder] {
        var d: [IPAddress: Holder] = [:]
        func add(_ l: Located<IPAddress>?, _ who: @autoclosure () -> String) {
            if let l, d[l.value] == nil { d[l.value] = .declared(who(), l.span) }
        }
        for h in ir.hosts {
            add(h.address, "host `\(h.name)`")
            for v in h.vms.indices { add(h.vms[v].ip, "VM `\(h.vms[v].name)`") }
        }
        for r in ir.reflectors { add(r.address, "reflector `\(r.name)`") }
        for r in ir.routers { add(r.address, "router `\(r.name)`") }
        for p in ir.pods { for ip in p.ips { add(ip, "pod `\(p.name)`") } }
        for p in ir.pools { add(p.gateway, "the gateway of pool `\(p.name)`") }
        for n in ir.networks { add(n.gateway, "the gateway of network `\(n.name)`") }
        add(ir.settings.gateway, "the fabric's anycast gateway")
        return d
    }

    func reallocateHelp(_ owner: AllocationLock.Owner) -> String {
        "`fabricc lock reallocate \(entry) \(AllocationLock.token(owner.name))` drops its lines; the next build allocates afresh"
    }

    /// Returns whether the addresses of the next lock are those of this one.
    mutating func addresses() -> Bool {
        let claims = claims()
        let pools = Dictionary(ir.pools.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        guard !claims.isEmpty || !lock.addresses.isEmpty || lock.quarantined.contains(where: \.isAddress) else {
            return true
        }
        // Each pool looked up once in a row: owners come host by host, and
        // a host's VMs mostly share a pool, so the last one is remembered
        // (its ranges computed once: the property builds them anew).
        var allocatable: [String: [AddressRange]] = [:]
        var last: PoolInfo?
        func info(_ name: String) -> PoolInfo {
            if let last, last.name == name { return last }
            let pool = pools[name]
            var ranges: [AddressRange] = []
            if let pool {
                if let r = allocatable[name] {
                    ranges = r
                } else {
                    ranges = pool.allocatable
                    allocatable[name] = ranges
                }
            }
            let found = PoolInfo(name: name, pool: pool, ranges: ranges, broken: brokenPools.contains(name))
            last = found
            return found
        }
        var held = declaredAddresses()
        held.reserveCapacity(held.count + claims.count + lock.quarantined.count)
        // The lock's line of each owner (an index into its addresses); an
        // owner the lock names twice (a merge that kept both) keeps neither.
        let lines = lock.addresses
        var byOwner: [AllocationLock.Owner: Int] = [:]
        byOwner.reserveCapacity(lines.count)
        var twice = Set<AllocationLock.Owner>()
        for (n, a) in lines.enumerated() {
            guard let first = byOwner[a.owner] else {
                byOwner[a.owner] = n
                continue
            }
            twice.insert(a.owner)
            diagnostics.append(
                Diagnostic(.allocationConflict, at: a.line!, "the lock gives \(a.owner) two addresses")
                    .labelled("\(a.address) here").label(lines[first].line!, "and \(lines[first].address) here")
                    .help(reallocateHelp(a.owner)))
        }
        var granted = [IPAddress?](repeating: nil, count: claims.count)
        var kept = [Bool](repeating: false, count: lines.count)
        // Lock lines first, so no new owner takes an address a later one
        // keeps; in the lock's order, so of two lines giving one address
        // (a merge) the later one is reported, whatever the intent's order.
        var lineOf = [Int?](repeating: nil, count: claims.count)
        var order: [(k: Int, line: Int)] = []
        order.reserveCapacity(claims.count)
        for (k, c) in claims.enumerated() {
            guard let n = byOwner[c.owner] else { continue }
            lineOf[k] = n
            if twice.isEmpty || !twice.contains(c.owner) { order.append((k, n)) }
        }
        order.sort { $0.line < $1.line }
        for (k, n) in order {
            let c = claims[k]
            // A line of another pool: the owner moved; a new address, the old one rests.
            // (Its fields read in place: copying each line cost more than the rest.)
            guard lines[n].pool == c.pool else { continue }
            let found = info(c.pool)
            guard let pool = found.pool, !found.broken else { continue }
            let a = lines[n].address
            let line = lines[n].line
            if let holder = held[a] {
                var d = Diagnostic(.allocationConflict, at: line!, conflictMessage(c.owner, a, holder))
                    .labelled("the lock gives \(a) to \(c.owner)")
                switch holder {
                case .declared(_, let span): d = d.label(span, "declared here")
                case .owner(let other):
                    if let o = byOwner[other] { d = d.label(lines[o].line!, "the lock gives it to \(other) here") }
                case .quarantined: break
                }
                diagnostics.append(d.help(reallocateHelp(c.owner)))
                continue
            }
            guard found.ranges.contains(where: { $0.contains(a) }) else {
                diagnostics.append(
                    Diagnostic(
                        .allocationConflict, at: line!, "\(c.owner)'s address \(a) is not in pool `\(c.pool)`"
                    )
                    .labelled("locked here").label(pool.ranges.first?.span ?? pool.prefix.span, "the pool's addresses")
                    .help(reallocateHelp(c.owner)))
                continue
            }
            held[a] = .owner(c.owner)
            granted[k] = a
            kept[n] = true
        }
        // Owners that left (or now declare an address, or left their
        // pool): their address rests in quarantine unless it is in use.
        var resting: [AllocationLock.Quarantined] = []
        func rest(_ a: IPAddress, pool: String, was: AllocationLock.Owner) {
            guard held[a] == nil else { return }
            held[a] = .quarantined(was)
            resting.append(.init(value: .address(a, pool: pool), was: was, line: nil))
        }
        for q in lock.quarantined {
            if case .address(let a, let pool) = q.value { rest(a, pool: pool, was: q.was) }
        }
        for (n, a) in lines.enumerated() where !kept[n] { rest(a.address, pool: a.pool, was: a.owner) }
        // New owners: the lowest free address of the pool.
        var cursors: [String: Cursor] = [:]
        var failed: [String: [Claim]] = [:]
        for (k, c) in claims.enumerated() where granted[k] == nil {
            // An owner whose lock line was refused above waits for a fix.
            let known = info(c.pool)
            guard let pool = known.pool, !known.broken, twice.isEmpty || !twice.contains(c.owner),
                lineOf[k].map({ lines[$0].pool != c.pool }) ?? true
            else { continue }
            var cursor = cursors.removeValue(forKey: c.pool) ?? Cursor(ranges: known.ranges)
            var found: IPAddress?
            // Never an IPv6 subnet's all-zero address: it is the Subnet-Router
            // anycast address (RFC 4291), which routers answer.
            let anycast = pool.prefix.value.network.isV4 ? nil : pool.prefix.value.first
            while let a = cursor.next() {
                if held[a] == nil && a.number != anycast {
                    found = a
                    break
                }
            }
            cursors[c.pool] = cursor
            guard let a = found else {
                failed[c.pool, default: []].append(c)
                continue
            }
            held[a] = .owner(c.owner)
            granted[k] = a
        }
        for (name, losers) in failed.sorted(by: { $0.key < $1.key }) {
            diagnostics.append(exhausted(pools[name]!, losers, held: held))
        }
        // Write them into the model and the next lock.
        next.addresses.reserveCapacity(claims.count)
        for (k, c) in claims.enumerated() {
            guard let a = granted[k] else { continue }
            let located = Located(a, c.site)
            if c.host >= 0 {
                ir.hosts[c.host].vms[c.index].ip = located
                ir.hosts[c.host].vms[c.index].ipAllocated = true
            } else {
                ir.pods[c.index].ips = [located]
                ir.pods[c.index].ipAllocated = true
            }
            next.addresses.append(.init(owner: c.owner, address: a, pool: c.pool, line: nil))
        }
        next.quarantined += resting
        return kept.allSatisfy { $0 } && next.addresses.count == lines.count
            && resting.count == lock.quarantined.count(where: \.isAddress)
    }

    func conflictMessage(_ owner: AllocationLock.Owner, _ a: IPAddress, _ holder: Holder) -> String {
        switch holder {
        case .declared(let who, _): "the lock gives \(owner) \(a), which the intent gives \(who)"
        case .owner(let other): "the lock gives \(a) to both \(other) and \(owner)"
        case .quarantined: "the lock gives \(owner) \(a), which is in quarantine"
        }
    }

    /// FAB4007 at the first owner left without an address: the pool's size,
    /// who holds it, and what quarantine keeps.
    func exhausted(_ pool: Pool, _ losers: [Claim], held: [IPAddress: Holder]) -> Diagnostic {
        let ranges = pool.allocatable
        var size = ranges.reduce(UInt128(0)) { s, r in s.addingReportingOverflow(r.count).overflow ? .max : s + r.count
        }
        // Less an IPv6 subnet's Subnet-Router anycast address, never handed out.
        let p = pool.prefix.value
        if !p.network.isV4, let zero = p.network.withNumber(p.first), ranges.contains(where: { $0.contains(zero) }) {
            size -= 1
        }
        var holders: [(IPAddress, String)] = []
        var resting: [(IPAddress, String)] = []
        for (a, h) in held where ranges.contains(where: { $0.contains(a) }) {
            switch h {
            case .declared(let who, _): holders.append((a, who))
            case .owner(let o): holders.append((a, o.description))
            case .quarantined(let was): resting.append((a, "was \(was)"))
            }
        }
        func few(_ list: [(IPAddress, String)]) -> String {
            let sorted = list.sorted { $0.0 < $1.0 }
            let shown = sorted.prefix(3).map { "\($0.0) (\($0.1))" }.joined(separator: ", ")
            return shown + (sorted.count > 3 ? " and \(sorted.count - 3) more" : "")
        }
        let first = losers[0]
        var d = Diagnostic(
            .poolExhausted, at: first.site, "pool `\(pool.name)` has no address left for \(first.owner)"
        )
        .labelled("names pool `\(pool.name)` and no address")
        .label(
            pool.origin.span,
            "\(size) address\(size == 1 ? "" : "es"): \(holders.count) taken"
                + (resting.isEmpty ? "" : ", \(resting.count) in quarantine"))
        if !holders.isEmpty { d = d.note("taken: \(few(holders))") }
        if !resting.isEmpty {
            d = d.note(
                "in quarantine: \(few(resting)); `fabricc lock release \(entry) --pool \(AllocationLock.token(pool.name))` frees them"
            )
        }
        if losers.count > 1 {
            let others = losers.dropFirst()
            let names = others.prefix(3).map(\.owner.description).joined(separator: ", ")
            d = d.note(
                "no address either for \(names)\(others.count > 3 ? " and \(others.count - 3) more" : "")")
        }
        return d.help("widen the pool's prefix or ranges, or move members to another pool")
    }

    /// The addresses of sorted ranges, in order.
    /// A pool as ``addresses()`` needs it: the pool (nil when unknown), its
    /// allocatable ranges, and whether its checks failed.
    struct PoolInfo {
        let name: String
        let pool: Pool?
        let ranges: [AddressRange]
        let broken: Bool
    }

    struct Cursor {
        let ranges: [AddressRange]
        var range = 0
        var offset: UInt128 = 0

        mutating func next() -> IPAddress? {
            while range < ranges.count {
                let r = ranges[range]
                if offset < r.count, let a = r.first.withNumber(r.first.number + offset) {
                    offset += 1
                    return a
                }
                range += 1
                offset = 0
            }
            return nil
        }
    }

    // MARK: MACs

    /// Returns whether the MACs of the next lock are those of this one.
    mutating func macs() -> Bool {
        var held: [UInt64: AllocationLock.Owner] = [:]
        var declaredBy: [UInt64: (name: String, span: Span)] = [:]
        var needs: [(host: Int, index: Int)] = []
        for h in ir.hosts.indices {
            // By index: `for vm in` would copy every VM.
            for v in ir.hosts[h].vms.indices {
                guard let m = ir.hosts[h].vms[v].mac else {
                    needs.append((h, v))
                    continue
                }
                // Two VMs declaring one MAC are the targets' to judge (OVS:
                // FAB7504); neither MAC is handed out.
                if declaredBy[m.value] == nil {
                    let vm = ir.hosts[h].vms[v]
                    declaredBy[m.value] = (vm.name, vm.origin.span)
                    held[m.value] = .init(.vm, vm.name)
                }
            }
        }
        let lines = lock.macs
        guard !needs.isEmpty || !lines.isEmpty || lock.quarantined.contains(where: { !$0.isAddress }) else {
            return true
        }
        held.reserveCapacity(held.count + needs.count + lines.count)
        var byOwner: [String: Int] = [:]
        var twice = Set<String>()
        byOwner.reserveCapacity(lines.count)
        for (n, m) in lines.enumerated() {
            guard let first = byOwner[m.owner.name] else {
                byOwner[m.owner.name] = n
                continue
            }
            twice.insert(m.owner.name)
            diagnostics.append(
                Diagnostic(.allocationConflict, at: m.line!, "the lock gives VM `\(m.owner.name)` two MACs")
                    .labelled("\(m.mac) here").label(lines[first].line!, "and \(lines[first].mac) here")
                    .help(reallocateHelp(m.owner)))
        }
        var granted = [MACAddress?](repeating: nil, count: needs.count)
        var kept = [Bool](repeating: false, count: lines.count)
        var order: [(k: Int, line: Int)] = []
        order.reserveCapacity(needs.count)
        for (k, n) in needs.enumerated() {
            guard let line = byOwner[ir.hosts[n.host].vms[n.index].name] else { continue }
            order.append((k, line))
        }
        // In the lock's order, as for addresses: the later of two lines is reported.
        order.sort { $0.line < $1.line }
        for (k, n) in order {
            let line = lines[n]
            let name = line.owner.name
            if twice.contains(name) {
                granted[k] = line.mac  // reported; takes no second one meanwhile
                continue
            }
            if let other = held[line.mac.value] {
                var d = Diagnostic(
                    .allocationConflict, at: line.line!,
                    declaredBy[line.mac.value] != nil
                        ? "the lock gives VM `\(name)` \(line.mac), which the intent gives VM `\(other.name)`"
                        : "the lock gives \(line.mac) to both VM `\(other.name)` and VM `\(name)`"
                ).labelled("the lock gives \(line.mac) to VM `\(name)`")
                if let decl = declaredBy[line.mac.value] {
                    d = d.label(decl.span, "declared here")
                } else if let o = byOwner[other.name] {
                    d = d.label(lines[o].line!, "the lock gives it to VM `\(other.name)` here")
                }
                diagnostics.append(d.help(reallocateHelp(.init(.vm, name))))
                granted[k] = line.mac  // reported; keeps the owner from taking a second one
                continue
            }
            held[line.mac.value] = line.owner
            granted[k] = line.mac
            kept[n] = true
        }
        // MACs of VMs that left (or now declare one) rest in quarantine.
        var resting = Set<UInt64>()
        for q in lock.quarantined {
            if case .mac(let m) = q.value, held[m.value] == nil, resting.insert(m.value).inserted {
                next.quarantined.append(q.withoutLine)
            }
        }
        for (n, m) in lines.enumerated() where !kept[n] && held[m.mac.value] == nil {
            if resting.insert(m.mac.value).inserted {
                next.quarantined.append(.init(value: .mac(m.mac), was: m.owner, line: nil))
            }
        }
        var candidate = Self.macBase
        var exhausted = false
        for k in needs.indices where granted[k] == nil {
            while candidate <= Self.macLast, held[candidate] != nil || resting.contains(candidate) { candidate += 1 }
            guard candidate <= Self.macLast else {
                exhausted = true
                break
            }
            granted[k] = MACAddress(candidate)
            held[candidate] = .init(.vm, ir.hosts[needs[k].host].vms[needs[k].index].name)
            candidate += 1
        }
        if exhausted, let k = needs.indices.first(where: { granted[$0] == nil }) {
            let vm = ir.hosts[needs[k].host].vms[needs[k].index]
            diagnostics.append(
                Diagnostic(.poolExhausted, at: vm.origin.span, "no MAC left for VM `\(vm.name)`")
                    .labelled("fabricc hands out \(MACAddress(Self.macBase))…\(MACAddress(Self.macLast)), all taken")
                    .help("give VMs a `mac`, or release quarantined MACs with `fabricc lock release \(entry) --all`"))
        }
        next.macs.reserveCapacity(needs.count)
        for (k, n) in needs.enumerated() {
            guard let m = granted[k] else { continue }
            ir.hosts[n.host].vms[n.index].mac = m
            ir.hosts[n.host].vms[n.index].macAllocated = true
            next.macs.append(.init(owner: .init(.vm, ir.hosts[n.host].vms[n.index].name), mac: m, line: nil))
        }
        return kept.allSatisfy { $0 } && next.macs.count == lines.count
            && resting.count == lock.quarantined.count(where: { !$0.isAddress })
    }
}

extension AllocationLock.Quarantined {
    var isAddress: Bool {
        if case .address = value { return true }
        return false
    }
    var withoutLine: Self { .init(value: value, was: was, line: nil) }
}

extension Optional where Wrapped == Allocator.Holder {
    func isOwner(_ o: AllocationLock.Owner) -> Bool {
        if case .owner(let x) = self { return x == o }
        return false
    }
}
