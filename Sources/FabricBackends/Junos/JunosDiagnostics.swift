import FabricDiagnostics

// The Junos backend's codes (FAB72xx). Never renumber a published code.

extension DiagnosticCode {
    public static let junosName = DiagnosticCode(
        "FAB7201", .error, "name a Junos configuration cannot carry",
        """
        The Junos backend names policy-statements, terms and BGP groups after \
        the fabric and its pools (`pool-public`, `s5-reflectors-external`). \
        Junos names here hold letters, digits, `-` and `_`, start with a letter \
        or digit, and are at most 255 characters. Rename the fabric or the pool.
        """)
    public static let junosString = DiagnosticCode(
        "FAB7202", .error, "text a Junos configuration cannot carry",
        """
        A `description` or a BGP password becomes a quoted Junos string. Quotes \
        and backslashes are escaped, but a line break or another control \
        character cannot be written in one, and a neighbor's description \
        (`reflector rr1: ` and the intent's text) holds at most 255 bytes. A \
        secret's value is never printed.
        """)
    public static let junosPodBlock = DiagnosticCode(
        "FAB7203", .warning, "pod block the leaf rejects",
        """
        A node announces its pod blocks to the leaf switches it peers with, and \
        a Junos leaf imports from its nodes only the pod blocks that lie inside \
        a pool it `accept`s. This one lies in none, so the leaf rejects it and \
        the pods there are unreachable through that leaf. Add the pool to the \
        leaf's `accept` list, or move the block into one.
        """)
}

extension JunosBackend {
    public var diagnostics: DiagnosticGroup {
        DiagnosticGroup(
            range: "FAB72xx",
            stage: "Junos backend: names and text a Junos configuration cannot carry",
            codes: [.junosName, .junosString, .junosPodBlock])
    }
}
