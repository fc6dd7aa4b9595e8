import FabricSema
import Yams

/// The Antrea documents, laid out with ``KubernetesYAML``.
extension KubernetesYAML {
    // MARK: Documents

    static func ipPool(_ pool: AntreaPool, version: AntreaVersion) -> Node {
        let spec: Node
        switch version {
        case .v1alpha2:
            // Gateway, prefix length and VLAN repeat on every range.
            spec = map([
                ("ipVersion", integer(pool.isV4 ? 4 : 6)),
                (
                    "ipRanges",
                    list(
                        pool.ranges.map { range in
                            var pairs = rangePairs(range)
                            pairs += [("gateway", string(pool.gateway)), ("prefixLength", integer(pool.prefixLength))]
                            if let vlan = pool.vlan { pairs.append(("vlan", integer(vlan))) }
                            return map(pairs)
                        })
                ),
            ])
        case .v1beta1:
            var subnet: [(String, Node)] = [
                ("gateway", string(pool.gateway)), ("prefixLength", integer(pool.prefixLength)),
            ]
            if let vlan = pool.vlan { subnet.append(("vlan", integer(vlan))) }
            spec = map([
                ("ipRanges", list(pool.ranges.map { map(rangePairs($0)) })),
                ("subnetInfo", map(subnet)),
            ])
        }
        return map([
            ("apiVersion", string("crd.antrea.io/\(version.rawValue)")),
            ("kind", string("IPPool")),
            ("metadata", metadata(pool.name)),
            ("spec", spec),
        ])
    }

    private static func rangePairs(_ range: AntreaRange) -> [(String, Node)] {
        switch range {
        case .cidr(let cidr): [("cidr", string(cidr))]
        case .startEnd(let start, let end): [("start", string(start)), ("end", string(end))]
        }
    }

    static let poolsAnnotation = "ipam.antrea.io/ippools"
    static let podIPsAnnotation = "ipam.antrea.io/pod-ips"

    static func namespace(_ ns: AntreaNamespace) -> Node {
        map([
            ("apiVersion", string("v1")),
            ("kind", string("Namespace")),
            (
                "metadata",
                metadata(
                    ns.name, annotations: ns.pools.isEmpty ? [] : [(poolsAnnotation, ns.pools.joined(separator: ","))])
            ),
        ])
    }

    /// The pinned pods' annotations, namespace → pod → annotations: no
    /// `apiVersion` or `kind`, so `kubectl apply` refuses the file rather
    /// than create bare Pods (or change nothing on running ones).
    static func podAnnotations(_ pods: [AntreaPod]) -> Node {
        var namespaces: [(String, [(String, Node)])] = []
        for pod in pods {
            var annotations: [(String, Node)] = []
            if let pool = pod.pool { annotations.append((poolsAnnotation, string(pool))) }
            if !pod.ips.isEmpty { annotations.append((podIPsAnnotation, string(pod.ips.joined(separator: ",")))) }
            if namespaces.last?.0 != pod.namespace { namespaces.append((pod.namespace, [])) }
            namespaces[namespaces.count - 1].1.append((pod.name, map(annotations)))
        }
        return .mapping(
            Node.Mapping(namespaces.map { (string($0.0), .mapping(Node.Mapping($0.1.map { (string($0.0), $0.1) }))) }))
    }

    /// The Antrea chart's values for flexible IPAM: the `AntreaIPAM`
    /// feature gate (the chart sets `featureGates` for agent and controller
    /// alike), no encapsulation and no SNAT (pods are addressed on the
    /// underlay's VLANs), and bridging mode (the node's uplink joins the
    /// OVS bridge, so pods on a VLAN reach its gateway).
    static func helmValues() -> Node {
        map([
            ("featureGates", map([("AntreaIPAM", boolean(true))])),
            ("trafficEncapMode", string("noEncap")),
            ("noSNAT", boolean(true)),
            ("enableBridgingMode", boolean(true)),
        ])
    }
}
