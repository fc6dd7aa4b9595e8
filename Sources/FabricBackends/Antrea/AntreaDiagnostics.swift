import FabricDiagnostics

// The Antrea backend's codes (FAB74xx). Never renumber a published code.

extension DiagnosticCode {
    public static let antreaGateway = DiagnosticCode(
        "FAB7401", .error, "pool without the gateway an IPPool needs",
        """
        A pool that a namespace or a pod draws from becomes an Antrea `IPPool`, \
        and both IPPool API versions require the subnet's gateway (with the \
        prefix length, taken from the pool's `prefix`). Add `gateway` to the pool.
        """)
    public static let antreaBreaking = DiagnosticCode(
        "FAB7402", .error, "change to an IPPool that Antrea refuses",
        """
        Compared with the previous build (`--previous DIR`), an existing IPPool \
        loses or alters a range, or changes its gateway or prefix length. \
        Antrea's webhook refuses such updates, since addresses may be allocated \
        from the old ranges; only new ranges may be added. Keep the old ranges, \
        or pass `--allow-breaking` (a warning then) and re-create the IPPool \
        once no pod uses it.
        """)
    public static let antreaPrevious = DiagnosticCode(
        "FAB7403", .error, "previous IPPools unreadable",
        """
        `--previous DIR` names a directory whose `antrea/ippools.yaml` is not \
        YAML or holds an IPPool without a name, a spec, or a range fabricc can \
        read, so the new pools cannot be compared with it. Point `--previous` \
        at the output directory of the last build, as fabricc wrote it.
        """)
    public static let antreaIgnored = DiagnosticCode(
        "FAB7404", .error, "IPAM request Antrea would ignore",
        """
        Antrea's flexible IPAM gives a pod one IPv4 address from one pool. \
        Its docs: "Only a single IP pool can be included in the Namespace \
        annotation", and the feature "is supported on Linux Nodes, with \
        IPv4". With `ipam.antrea.io/ippools: "a,b"` the agent allocates from \
        one of them (the first, or in later releases the first IPv4 one) and \
        says nothing about the other; a StatefulSet annotated with several \
        pools is refused. A second address in `ipam.antrea.io/pod-ips` is \
        ignored by older agents and refused by newer ones. So a namespace or \
        a pod names one IPv4 pool and a pod pins at most one address. For \
        dual-stack pods use Antrea's default IPAM (the nodes' pod CIDRs), \
        not an IPPool.
        """)
}

extension AntreaBackend {
    public var diagnostics: DiagnosticGroup {
        DiagnosticGroup(
            range: "FAB74xx",
            stage: "Antrea backend: pools an IPPool needs, and changes Antrea refuses",
            codes: [.antreaGateway, .antreaBreaking, .antreaPrevious, .antreaIgnored])
    }
}
