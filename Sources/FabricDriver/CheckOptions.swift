/// Settings for one `check` run.
public struct CheckOptions: Sendable {
    /// The project root includes may not leave; default: the entry file's directory.
    public var root: String?
    /// Report every warning as an error.
    public var warningsAsErrors: Bool

    public init(root: String? = nil, warningsAsErrors: Bool = false) {
        self.root = root
        self.warningsAsErrors = warningsAsErrors
    }
}
