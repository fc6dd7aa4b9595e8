import FabricBase
import FabricSema

/// The BGP view: one node per BGP speaker (a device at either end of a
/// session), one edge per session, styled by role and labelled with its
/// type; routers above reflectors above hosts. Above `collapseAbove`
/// hosts, the hosts of one cluster (or with the same reflectors and
/// leaves) become one node, with exact counts on it and on its edges.
public enum BGPPicture {
    public static func graph(_ ir: FabricIR, collapseAbove: Int) -> DOTGraph {
        var g = DOTGraph(
            name: "\(ir.settings.name) BGP", label: "\(ir.settings.name): BGP sessions (\(ir.sessions.count))")
        let hosts = Dictionary(ir.hosts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var speakers = Set<Device>()
        for s in ir.sessions {
            speakers.insert(s.a)
            speakers.insert(s.b)
        }
        let hostSpeakers = speakers.compactMap { d -> Host? in
            if case .host(let n) = d { return hosts[n] }
            return nil
        }
        // Which node stands for a host: itself, or its group's.
        var stand: [String: String] = [:]
        if hostSpeakers.count > collapseAbove {
            var groups: [String: [Host]] = [:]
            for h in hostSpeakers { groups[groupKey(h), default: []].append(h) }
            for (key, members) in groups {
                let id = "hosts:\(key)"
                let names = [
                    members.map(\.name).min(by: naturalOrder)!, members.map(\.name).max(by: naturalOrder)!,
                ]
                let asns = Set(members.compactMap(\.asn?.value)).sorted()
                let inGroup = Set(members.map(\.name))
                let sessions = ir.sessions.filter { s in
                    [s.a, s.b].contains { if case .host(let n) = $0 { inGroup.contains(n) } else { false } }
                }.count
                var label = ["\(names.first!)…\(names.last!)", "\(members.count) hosts, \(sessions) sessions"]
                label.append(asns.count == 1 ? "AS \(asns[0])" : "AS \(asns.map(String.init).joined(separator: ", "))")
                g.nodes.append(.init(id: id, label: label, attributes: style(.host, group: true)))
                for m in members { stand[m.name] = id }
            }
        }
        for d in speakers where stand[d.name] == nil || d.kind != "host" {
            g.nodes.append(node(d, ir: ir, hosts: hosts))
        }
        // One edge per session, or per group and device with the count.
        var grouped:
            [String: (
                from: String, to: String, role: BGPSession.Role, type: PeeringType, asns: String, n: Int, bfd: Int
            )] =
                [:]
        for s in ir.sessions {
            let (upper, lower) = rank(s.a) <= rank(s.b) ? (s.a, s.b) : (s.b, s.a)
            let from = nodeID(upper, stand)
            let to = nodeID(lower, stand)
            if from.hasPrefix("hosts:") || to.hasPrefix("hosts:") {
                let (upperAS, lowerAS) = upper == s.a ? (s.aAS, s.bAS) : (s.bAS, s.aAS)
                let asns = upperAS == lowerAS ? "AS \(upperAS)" : "AS \(upperAS) – \(lowerAS)"
                let key = "\(from)|\(to)|\(s.role.rawValue)|\(asns)"
                var e = grouped[key] ?? (from, to, s.role, s.type, asns, 0, 0)
                e.n += 1
                if s.bfd { e.bfd += 1 }
                grouped[key] = e
                continue
            }
            // The AS numbers of the ends (upper first); passwords are in sessions.md.
            let (upperAS, lowerAS) = upper == s.a ? (s.aAS, s.bAS) : (s.bAS, s.aAS)
            var label = [
                "\(s.type == .internal ? "iBGP" : "eBGP") \(roleName(s.role))",
                upperAS == lowerAS ? "AS \(upperAS)" : "AS \(upperAS) – \(lowerAS)",
            ]
            if s.bfd { label.append("BFD") }
            g.edges.append(.init(from: from, to: to, label: label, attributes: edgeStyle(s.role)))
        }
        for e in grouped.values {
            var label = ["\(e.n) \(e.type == .internal ? "iBGP" : "eBGP") \(roleName(e.role)) sessions", e.asns]
            if e.bfd > 0 { label.append(e.bfd == e.n ? "BFD" : "BFD on \(e.bfd)") }
            var attributes = edgeStyle(e.role)
            attributes["penwidth"] = "2.5"
            g.edges.append(.init(from: e.from, to: e.to, label: label, attributes: attributes))
        }
        return g
    }

    /// Hosts that look alike to BGP: one cluster, or the same reflectors and leaves.
    static func groupKey(_ h: Host) -> String {
        if let c = h.cluster { return "cluster \(c)" }
        return "peers " + (h.reflectors + h.peers.map(\.value)).sorted().joined(separator: ",")
    }

    static func rank(_ d: Device) -> Int {
        switch d {
        case .router: 0
        case .reflector: 1
        case .host: 2
        }
    }

    static func nodeID(_ d: Device, _ stand: [String: String]) -> String {
        if case .host(let n) = d, let group = stand[n] { return group }
        return "\(d.kind):\(d.name)"
    }

    static func node(_ d: Device, ir: FabricIR, hosts: [String: Host]) -> DOTGraph.Node {
        var label = [d.name]
        switch d {
        case .host(let n):
            if let h = hosts[n] {
                if let a = h.asn?.value { label.append("AS \(a)") }
                if let a = h.address?.value { label.append(a.description) }
            }
            return .init(id: "host:\(n)", label: label, attributes: style(.host, group: false))
        case .reflector(let n):
            if let r = ir.reflectors.first(where: { $0.name == n }) {
                if let a = r.asn?.value { label.append("AS \(a)") }
                if let a = r.address?.value { label.append(a.description) }
            }
            return .init(id: "reflector:\(n)", label: label, attributes: style(.reflector, group: false))
        case .router(let n):
            if let r = ir.routers.first(where: { $0.name == n }) {
                label.append("\(r.role.rawValue) router (\(r.platform.rawValue))")
                if let a = r.asn?.value { label.append("AS \(a)") }
                if let a = r.address?.value { label.append(a.description) }
            }
            return .init(id: "router:\(n)", label: label, attributes: style(.router, group: false))
        }
    }

    enum Kind { case host, reflector, router }

    static func style(_ kind: Kind, group: Bool) -> [String: String] {
        switch kind {
        case .router: ["shape": "box", "style": "\"filled,bold\"", "fillcolor": "\"#c6dbef\""]
        case .reflector: ["shape": "ellipse", "style": "filled", "fillcolor": "\"#fdd0a2\""]
        case .host:
            group
                ? ["shape": "box3d", "style": "filled", "fillcolor": "\"#e5e5e5\""]
                : ["shape": "box", "style": "\"rounded,filled\"", "fillcolor": "\"#f7f7f7\""]
        }
    }

    static func roleName(_ r: BGPSession.Role) -> String {
        switch r {
        case .reflectorClient: "client"
        case .reflectorMesh: "reflector mesh"
        case .upstream: "upstream"
        case .leaf: "leaf"
        }
    }

    static func edgeStyle(_ r: BGPSession.Role) -> [String: String] {
        switch r {
        case .reflectorClient: ["color": "\"#636363\""]
        case .reflectorMesh: ["color": "\"#e6550d\"", "style": "dashed", "penwidth": "2"]
        case .upstream: ["color": "\"#3182bd\"", "penwidth": "2"]
        case .leaf: ["color": "\"#31a354\"", "style": "dotted", "penwidth": "2"]
        }
    }

    /// `kvm2` before `kvm10`: runs of ASCII digits compare as numbers,
    /// everything else byte by byte; no allocation, as names are sorted by
    /// the thousand.
    static func naturalOrder(_ a: String, _ b: String) -> Bool {
        let x = Array(a.utf8)
        let y = Array(b.utf8)
        func isDigit(_ c: UInt8) -> Bool { c >= 48 && c <= 57 }
        var i = 0
        var j = 0
        while i < x.count && j < y.count {
            if isDigit(x[i]) && isDigit(y[j]) {
                var i2 = i
                var j2 = j
                while i2 < x.count && isDigit(x[i2]) { i2 += 1 }
                while j2 < y.count && isDigit(y[j2]) { j2 += 1 }
                // Without leading zeros, the longer run is the bigger number.
                var p = i
                var q = j
                while p < i2 - 1 && x[p] == 48 { p += 1 }
                while q < j2 - 1 && y[q] == 48 { q += 1 }
                if i2 - p != j2 - q { return i2 - p < j2 - q }
                while p < i2 {
                    if x[p] != y[q] { return x[p] < y[q] }
                    p += 1
                    q += 1
                }
                if i2 - i != j2 - j { return i2 - i < j2 - j }
                (i, j) = (i2, j2)
            } else {
                if x[i] != y[j] { return x[i] < y[j] }
                i += 1
                j += 1
            }
        }
        return x.count - i < y.count - j
    }
}
