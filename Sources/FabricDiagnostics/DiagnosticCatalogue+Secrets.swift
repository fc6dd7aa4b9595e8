// Codes of the build stage (FAB70xx): secrets, read when artifacts are
// built. Each backend's codes live in its own folder and reach the
// catalogue through the backend registry. Never renumber.

extension DiagnosticCode {
    public static let secretUnset = DiagnosticCode(
        "FAB7001", .error, "secret not available at build time",
        """
        A session uses a secret whose environment variable is not set, or whose \
        file cannot be read. Secrets are read when `fabricc build` runs, never \
        written in the intent: export the variable (or create the file) in the \
        environment that builds. `fabricc check` does not read secrets.
        """)
    public static let secretEmpty = DiagnosticCode(
        "FAB7002", .error, "secret is empty",
        """
        The secret's variable or file holds nothing (a file's final line break \
        is not part of the secret). An empty BGP password would silently turn \
        authentication off.
        """)
}

extension DiagnosticCatalogue {
    static let secrets: [DiagnosticCode] = [.secretUnset, .secretEmpty]
}
