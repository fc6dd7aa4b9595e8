import FabricDiagnostics
import FabricSema

/// The secret values a backend writes, with each problem reported once per
/// secret, at its declaration, and never with the value in it.
struct SecretLookup {
    /// nil when the build does not write secrets (no `--secrets`).
    private let values: [String: String]?
    private let origins: [String: Origin]
    private let fallback: Span
    private var reported: Set<String> = []

    init(_ input: BackendInput) {
        values = input.secrets
        origins = Dictionary(input.ir.secrets.map { ($0.name, $0.origin) }, uniquingKeysWith: { a, _ in a })
        fallback = input.ir.settings.password?.span ?? Span(file: FileID(0), start: 0, end: 0)
    }

    /// Where the secret is declared.
    func span(of secret: String) -> Span { origins[secret]?.span ?? fallback }

    /// Whether this build writes secret files at all.
    var writesSecrets: Bool { values != nil }

    /// The secret's value; nil when the build writes no secrets, and nil,
    /// reported, when the driver did not read it (it reads every secret a
    /// session uses, so this is a driver bug, but a secrets file never
    /// lacks a password the configs reference).
    mutating func value(_ secret: String, _ diagnostics: inout [Diagnostic]) -> String? {
        guard let values else { return nil }
        if let value = values[secret] { return value }
        report(
            secret,
            Diagnostic(.secretUnset, at: span(of: secret), "secret `\(secret)` was not read before the build").labelled(
                "no value"), &diagnostics)
        return nil
    }

    /// Reports `diagnostic` unless something was reported for `secret` already.
    mutating func report(_ secret: String, _ diagnostic: Diagnostic, _ diagnostics: inout [Diagnostic]) {
        if reported.insert(secret).inserted { diagnostics.append(diagnostic) }
    }
}
