import FabricDiagnostics

// The BIRD backend's codes (FAB71xx). Never renumber a published code.

extension DiagnosticCode {
    public static let birdVersion = DiagnosticCode(
        "FAB7101", .error, "unsupported BIRD version",
        """
        `bird-version` names the BIRD release the generated configs must load \
        on, as `2`, `2.0`, `2.0.11` or `2.15`. Only BIRD 2 is supported: BIRD 1 \
        has another configuration language and BIRD 3 is not tested. The \
        default is `2.0`, the oldest BIRD 2.
        """)
    public static let birdFeature = DiagnosticCode(
        "FAB7102", .error, "feature the target BIRD lacks",
        """
        The intent asks for something the BIRD release in `bird-version` does \
        not have: `bgp-roles on` emits `local role`, which BIRD has since \
        2.0.11. Raise `bird-version` if every speaker runs a newer BIRD, or \
        turn the feature off.
        """)
    public static let birdIPv6 = DiagnosticCode(
        "FAB7103", .error, "BIRD cannot carry IPv6",
        """
        The BIRD backend speaks IPv4 unicast over IPv4 sessions: VM host routes, \
        pod blocks and peering addresses must be IPv4. An IPv6 VM address, pod \
        block or peering address on a BGP speaker would otherwise be silently \
        left out of the routing.
        """)
    public static let birdString = DiagnosticCode(
        "FAB7104", .error, "value BIRD cannot quote",
        """
        BIRD strings have no escapes: a `"` ends the string and a line break is \
        an error. A secret holding either (or another control character) cannot \
        be written as a BIRD `password`; the value is never printed. Choose a \
        password without them.
        """)
    public static let birdMultihopDefault = DiagnosticCode(
        "FAB7105", .error, "default route over a multihop session",
        """
        A device imports the default route over a `multihop` session: its next \
        hop is not on a shared segment, so BIRD would have to resolve it \
        through an IGP table the generated configs do not have, and the route \
        would stay unreachable (or reach the kernel as one). Peer directly, or \
        leave `import` at `none` and route by other means.
        """)
}

extension BirdBackend {
    public var diagnostics: DiagnosticGroup {
        DiagnosticGroup(
            range: "FAB71xx",
            stage: "BIRD backend: what the target BIRD cannot carry (reported by `check` too)",
            codes: [.birdVersion, .birdFeature, .birdIPv6, .birdString, .birdMultihopDefault])
    }
}
