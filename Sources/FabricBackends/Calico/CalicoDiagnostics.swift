import FabricDiagnostics

// The Calico backend's codes (FAB76xx). Never renumber a published code.

extension DiagnosticCode {
    public static let calicoNode = DiagnosticCode(
        "FAB7601", .error, "node Calico cannot run this way",
        """
        A host with `cni calico` is a Kubernetes node whose BGP calico-node \
        runs: it must be a Linux node (`platform linux`), and every Calico \
        node shares one AS number, since fabricc writes it once, in the \
        BGPConfiguration `default` (`asNumber`). Calico's AS numbers are \
        32-bit signed in its CRDs: at most 2147483647.
        """)
    public static let calicoPool = DiagnosticCode(
        "FAB7602", .error, "pod addresses Calico's IPAM cannot hand out",
        """
        Calico's IPAM hands each node blocks of its IPPools itself; a block \
        belongs to one node. fabricc writes a node's fixed `pod-blocks` as \
        IPPools of their own, selected by the node's name, so Calico \
        allocates that node's pods from them only. Then another node of the \
        same pool without fixed blocks would need an IPPool covering theirs, \
        and Calico refuses overlapping IPPools: give every Calico node of a \
        pool its `pod-blocks`, or none of them. A block lies in one of the \
        node's `pools`, and its length is 20 to 32 (Calico's `blockSize`).
        """)
    public static let calicoPeer = DiagnosticCode(
        "FAB7603", .error, "peering a Calico BGPPeer cannot express",
        """
        calico-node peers over IPv4 here (a BGPPeer's `peerIP`), with the \
        password of a Kubernetes Secret, and Calico names the peer by a \
        label fabricc derives from the remote device's name: a label value \
        is letters, digits, `-`, `_` and `.`, at most 63 characters, and \
        starts and ends with a letter or digit.
        """)
    public static let calicoBFD = DiagnosticCode(
        "FAB7604", .error, "BFD on a Calico node's session",
        """
        Open-source Calico's BGPPeer has no BFD setting and calico-node \
        runs none: a leaf configured for BFD towards a Calico node would \
        wait for packets that never come. Turn BFD off for the node \
        (`bfd off` on the host) or for the leaf.
        """)
}

extension CalicoBackend {
    public var diagnostics: DiagnosticGroup {
        DiagnosticGroup(
            range: "FAB76xx",
            stage: "Calico backend: nodes, pools and peerings Calico's resources cannot carry",
            codes: [.calicoNode, .calicoPool, .calicoPeer, .calicoBFD])
    }
}
