import FabricBase
import FabricDiagnostics
import FabricSyntax

extension IRBuilder {
    /// Derives every BGP session with both ends resolved; a session whose
    /// end lacks an address or an AS is reported once and left out.
    mutating func deriveSessions() {
        var sessions: [BGPSession] = []
        let reflectors = Dictionary(uniqueKeysWithValues: ir.reflectors.map { ($0.name, $0) })
        let routers = Dictionary(uniqueKeysWithValues: ir.routers.map { ($0.name, $0) })
        var reportedMissing: Set<String> = []

        let invalid = self.invalid
        let explicit = explicitPasswords
        let fabricPassword = ir.settings.password?.value
        /// A secret set on either end wins over the fabric default.
        func secret(_ a: Device, _ b: Device) -> String? {
            explicit[a.kind + "/" + a.name] ?? explicit[b.kind + "/" + b.name] ?? fabricPassword
        }
        let explicitBFD = self.explicitBFD
        let fabricBFD = ir.settings.bfd
        var bfdReported: Set<String> = []
        /// Either end's own `bfd`, or the fabric's; two ends that disagree
        /// are reported once per pair, and the session runs without.
        func bfd(_ a: Device, _ b: Device) -> Bool {
            let x = explicitBFD[a.kind + "/" + a.name]
            let y = explicitBFD[b.kind + "/" + b.name]
            guard let x, let y, x.value != y.value else { return x?.value ?? y?.value ?? fabricBFD }
            let (on, off) = x.value ? ((a, x), (b, y)) : ((b, y), (a, x))
            if bfdReported.insert(on.0.name + "\u{0}" + off.0.name).inserted {
                reader.report(
                    Diagnostic(
                        .bfdDisagrees, at: on.1.span,
                        "\(on.0.kind) `\(on.0.name)` runs BFD but \(off.0.kind) `\(off.0.name)`, at the other end of its session, does not"
                    )
                    .labelled("BFD on here").label(off.1.span, "off here")
                    .help("set the same `bfd` at both ends, or on neither and once on the `fabric`"))
            }
            return false
        }
        let clusterOf = Dictionary(
            uniqueKeysWithValues: ir.hosts.map { ("host/" + $0.name, $0.cluster) }
                + ir.reflectors.map { ("reflector/" + $0.name, $0.cluster) })
        func end(_ device: Device, address: IPAddress?, asn: UInt32?, span: Span) -> (IPAddress, UInt32)? {
            let key = device.kind + "/" + device.name
            // An address or AS that was written but invalid is reported already.
            let asnWasInvalid =
                invalid.contains(key + "/asn") || invalid.contains("fabric/asn")
                || (clusterOf[key].flatMap { $0 }.map { invalid.contains("cluster/\($0)/asn") } ?? false)
            if address == nil, invalid.contains(key + "/address") { return nil }
            if asn == nil, asnWasInvalid { return nil }
            guard let address else {
                // A reflector without an address is already reported as such.
                if case .reflector = device {
                } else if reportedMissing.insert(key + "/address").inserted {
                    reader.report(
                        Diagnostic(
                            .sessionEndMissing, at: span,
                            "\(device.kind) `\(device.name)` has BGP sessions but no `address`"
                        )
                        .labelled("needs an address").help("add `address 10.0.0.1` (its peering address)"))
                }
                return nil
            }
            guard let asn else {
                if reportedMissing.insert(key + "/asn").inserted {
                    reader.report(
                        Diagnostic(
                            .noASN, at: span, "\(device.kind) `\(device.name)` has BGP sessions but no AS number"
                        )
                        .labelled("no `asn`, and no cluster or fabric default")
                        .help("set `asn` on it, its cluster, or the `fabric`"))
                }
                return nil
            }
            return (address, asn)
        }

        func add(
            _ role: BGPSession.Role, _ a: Device, _ aEnd: (IPAddress, UInt32), _ b: Device, _ bEnd: (IPAddress, UInt32),
            password: String?, at span: Span
        ) {
            guard aEnd.0.bits == bEnd.0.bits else {
                reader.report(
                    Diagnostic(
                        .sessionEndMissing, at: span, "`\(a.name)` and `\(b.name)` have addresses of different families"
                    )
                    .labelled("\(aEnd.0) and \(bEnd.0)").help(
                        "a BGP session runs between two IPv4 or two IPv6 addresses"))
                return
            }
            var session = BGPSession(
                role: role, a: a, aAddress: aEnd.0, aAS: aEnd.1, b: b, bAddress: bEnd.0, bAS: bEnd.1,
                password: password)
            session.bfd = bfd(a, b)
            sessions.append(session)
        }

        for h in ir.hosts {
            let hostSpan = h.origin.span
            for r in h.reflectors {
                guard let rr = reflectors[r],
                    let hEnd = end(.host(h.name), address: h.address?.value, asn: h.asn?.value, span: hostSpan),
                    let rEnd = end(.reflector(r), address: rr.address?.value, asn: rr.asn?.value, span: rr.origin.span)
                else { continue }
                add(
                    .reflectorClient, .host(h.name), hEnd, .reflector(r), rEnd,
                    password: secret(.host(h.name), .reflector(r)),
                    at: h.reflectorsKeyword ?? hostSpan)
            }
            for peer in h.peers {
                let p = peer.value
                guard let leaf = routers[p],
                    let hEnd = end(.host(h.name), address: h.address?.value, asn: h.asn?.value, span: hostSpan),
                    let lEnd = end(
                        .router(p), address: leaf.address?.value, asn: leaf.asn?.value, span: leaf.origin.span)
                else { continue }
                add(
                    .leaf, .host(h.name), hEnd, .router(p), lEnd, password: secret(.host(h.name), .router(p)),
                    at: peer.span)
            }
        }
        for rr in ir.reflectors {
            for u in rr.upstream {
                guard let router = routers[u],
                    let rEnd = end(
                        .reflector(rr.name), address: rr.address?.value, asn: rr.asn?.value, span: rr.origin.span),
                    let uEnd = end(
                        .router(u), address: router.address?.value, asn: router.asn?.value, span: router.origin.span)
                else { continue }
                add(
                    .upstream, .reflector(rr.name), rEnd, .router(u), uEnd,
                    password: secret(.reflector(rr.name), .router(u)), at: rr.origin.span)
            }
        }
        // Reflectors of one cluster peer with each other.
        let byCluster = Dictionary(grouping: ir.reflectors.filter { $0.cluster != nil }, by: { $0.cluster! })
        for cluster in byCluster.keys.sorted() {
            let members = byCluster[cluster]!.sorted { $0.name < $1.name }
            for x in members.indices {
                for y in members.indices where y > x {
                    let a = members[x]
                    let b = members[y]
                    guard
                        let aEnd = end(
                            .reflector(a.name), address: a.address?.value, asn: a.asn?.value, span: a.origin.span),
                        let bEnd = end(
                            .reflector(b.name), address: b.address?.value, asn: b.asn?.value, span: b.origin.span)
                    else { continue }
                    add(
                        .reflectorMesh, .reflector(a.name), aEnd, .reflector(b.name), bEnd,
                        password: secret(.reflector(a.name), .reflector(b.name)), at: b.origin.span)
                }
            }
        }
        ir.sessions = sessions
        var byDevice: [Device: [Int]] = [:]
        for (n, s) in sessions.enumerated() {
            byDevice[s.a, default: []].append(n)
            byDevice[s.b, default: []].append(n)
        }
        for k in ir.hosts.indices { ir.hosts[k].sessions = byDevice[.host(ir.hosts[k].name)] ?? [] }
        for k in ir.reflectors.indices { ir.reflectors[k].sessions = byDevice[.reflector(ir.reflectors[k].name)] ?? [] }
        for k in ir.routers.indices { ir.routers[k].sessions = byDevice[.router(ir.routers[k].name)] ?? [] }
    }
}
