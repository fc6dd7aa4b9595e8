import Yams

/// The Calico documents (`projectcalico.org/v3`), laid out with
/// ``KubernetesYAML``.
extension KubernetesYAML {
    static let calicoAPI = "projectcalico.org/v3"

    static func calicoResource(_ kind: String, _ name: String, spec: [(String, Node)]) -> Node {
        map([
            ("apiVersion", string(calicoAPI)), ("kind", string(kind)), ("metadata", metadata(name)),
            ("spec", map(spec)),
        ])
    }

    static func bgpConfiguration(_ model: CalicoModel) -> Node {
        calicoResource(
            "BGPConfiguration", "default",
            spec: [
                ("asNumber", integer(Int(model.asNumber))),
                ("nodeToNodeMeshEnabled", boolean(model.nodeToNodeMesh)),
            ])
    }

    static func bgpPeer(_ peer: CalicoPeer) -> Node {
        var spec: [(String, Node)] = []
        switch peer.nodes {
        case .selector(let selector): spec.append(("nodeSelector", string(selector)))
        case .node(let node): spec.append(("node", string(node)))
        }
        spec += [
            ("peerIP", string(peer.peerIP)), ("asNumber", integer(Int(peer.asNumber))),
            ("filters", list([string(peer.filter)])),
        ]
        if let keepalive = peer.keepaliveTime { spec.append(("keepaliveTime", string(keepalive))) }
        if let ttl = peer.ttlSecurity { spec.append(("ttlSecurity", integer(ttl))) }
        if let key = peer.passwordKey {
            spec.append(
                (
                    "password",
                    map([
                        (
                            "secretKeyRef",
                            map([
                                ("name", string(CalicoPasswordSecret.name)), ("key", string(key)),
                            ])
                        )
                    ])
                ))
        }
        return calicoResource("BGPPeer", peer.name, spec: spec)
    }

    static func bgpFilter(_ filter: CalicoFilter) -> Node {
        func rules(_ rules: [CalicoRule]) -> Node {
            list(
                rules.map { rule in
                    var pairs: [(String, Node)] = [("action", string(rule.action.rawValue))]
                    if let op = rule.matchOperator { pairs.append(("matchOperator", string(op))) }
                    if let cidr = rule.cidr { pairs.append(("cidr", string(cidr))) }
                    return map(pairs)
                })
        }
        return calicoResource(
            "BGPFilter", filter.name,
            spec: [("importV4", rules(filter.importV4)), ("exportV4", rules(filter.exportV4))])
    }

    static func calicoPool(_ pool: CalicoPool) -> Node {
        var spec: [(String, Node)] = [
            ("cidr", string(pool.cidr)), ("blockSize", integer(pool.blockSize)),
            ("ipipMode", string("Never")), ("vxlanMode", string("Never")), ("natOutgoing", boolean(pool.natOutgoing)),
        ]
        if let selector = pool.nodeSelector { spec.append(("nodeSelector", string(selector))) }
        return calicoResource("IPPool", pool.name, spec: spec)
    }

    /// The Role and RoleBinding that let calico-node read the passwords'
    /// Secret (Calico reads a BGPPeer's `secretKeyRef` in its own namespace).
    static func passwordAccess() -> [Node] {
        let namespace = CalicoPasswordSecret.namespace
        let role = map([
            ("apiVersion", string("rbac.authorization.k8s.io/v1")), ("kind", string("Role")),
            ("metadata", metadata("fabricc-bgp-passwords", namespace: namespace)),
            (
                "rules",
                list([
                    map([
                        ("apiGroups", list([string("")])), ("resources", list([string("secrets")])),
                        ("resourceNames", list([string(CalicoPasswordSecret.name)])),
                        ("verbs", list([string("watch"), string("list"), string("get")])),
                    ])
                ])
            ),
        ])
        let binding = map([
            ("apiVersion", string("rbac.authorization.k8s.io/v1")), ("kind", string("RoleBinding")),
            ("metadata", metadata("fabricc-bgp-passwords", namespace: namespace)),
            (
                "roleRef",
                map([
                    ("apiGroup", string("rbac.authorization.k8s.io")), ("kind", string("Role")),
                    ("name", string("fabricc-bgp-passwords")),
                ])
            ),
            (
                "subjects",
                list([
                    map([
                        ("kind", string("ServiceAccount")), ("name", string("calico-node")),
                        ("namespace", string(namespace)),
                    ])
                ])
            ),
        ])
        return [role, binding]
    }

    /// The Secret itself, for the secrets folder only.
    static func passwordSecret(_ values: [(key: String, value: String)]) -> Node {
        map([
            ("apiVersion", string("v1")), ("kind", string("Secret")),
            ("metadata", metadata(CalicoPasswordSecret.name, namespace: CalicoPasswordSecret.namespace)),
            ("type", string("Opaque")),
            // Keys are secret names: quoted, so YAML 1.1 reads `on` as a name.
            ("stringData", .mapping(Node.Mapping(values.map { (string($0.key), string($0.value)) }))),
        ])
    }
}
