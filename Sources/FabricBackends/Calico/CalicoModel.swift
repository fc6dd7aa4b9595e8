/// What the Calico backend writes: the `projectcalico.org/v3` resources a
/// Calico user applies, and the node labels their selectors read.
struct CalicoModel: Sendable {
    /// BGPConfiguration `default`: the nodes' AS and the node-to-node mesh.
    let asNumber: UInt32
    let nodeToNodeMesh: Bool
    let peers: [CalicoPeer]
    let filters: [CalicoFilter]
    let pools: [CalicoPool]
    /// `kubectl label node` per node, for the peers' node selectors.
    let labels: [CalicoNodeLabels]
    /// The Kubernetes Secret the peers' passwords are read from, when a
    /// session has one (its values go to the secrets folder only).
    let passwordSecret: CalicoPasswordSecret?
}

/// A BGPPeer: one per remote device for every node that peers with it
/// alike (a node selector), or one per node where the nodes differ.
struct CalicoPeer: Sendable, Hashable {
    let name: String
    let peerIP: String
    let asNumber: UInt32
    enum Nodes: Sendable, Hashable {
        /// `nodeSelector`: the label every selected node carries.
        case selector(String)
        /// `node`: one node by name.
        case node(String)
    }
    let nodes: Nodes
    let filter: String
    /// `keepaliveTime`, as Calico writes a duration (`30s`).
    let keepaliveTime: String?
    /// The key in ``CalicoPasswordSecret`` holding the password.
    let passwordKey: String?
    let ttlSecurity: Int?
}

/// A BGPFilter: the routes taken from and given to one peer.
struct CalicoFilter: Sendable, Hashable {
    let name: String
    let importV4: [CalicoRule]
    let exportV4: [CalicoRule]
}

/// A BGPFilter rule; without a CIDR it matches every route (the last rule,
/// since a route no rule matches is accepted).
struct CalicoRule: Sendable, Hashable {
    enum Action: String, Sendable {
        case accept = "Accept"
        case reject = "Reject"
    }
    let action: Action
    let matchOperator: String?
    let cidr: String?

    static let rejectAll = CalicoRule(action: .reject, matchOperator: nil, cidr: nil)
}

/// An IPPool: a pool's prefix for every node, or one node's fixed block.
struct CalicoPool: Sendable, Hashable {
    let name: String
    let cidr: String
    let blockSize: Int
    /// nil: every node.
    let nodeSelector: String?
    let natOutgoing: Bool
}

/// The labels one node needs.
struct CalicoNodeLabels: Sendable, Hashable {
    let node: String
    let labels: [String]
}

/// The Secret holding the BGP passwords, in calico-node's namespace.
struct CalicoPasswordSecret: Sendable, Hashable {
    static let name = "fabricc-bgp-passwords"
    static let namespace = "calico-system"
    /// Secret names, which are its keys.
    let keys: [String]
}
