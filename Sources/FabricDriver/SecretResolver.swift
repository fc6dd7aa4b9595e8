import FabricBase
import FabricDiagnostics
import FabricSema
import FabricSyntax

/// Reads the secrets a build needs, from the environment or from files,
/// when `fabricc build` runs; `check` never reads them.
enum SecretResolver {
    /// The values of the secrets some BGP session uses, by secret name, and a
    /// diagnostic (never showing a value) for each that cannot be read.
    static func resolve(
        _ ir: FabricIR, sources: SourceMap, environment: [String: String],
        provider: any SourceProvider
    ) -> (values: [String: String], diagnostics: [Diagnostic]) {
        let used = Set(ir.sessions.compactMap(\.password))
        var values: [String: String] = [:]
        var diagnostics: [Diagnostic] = []
        for secret in ir.secrets where used.contains(secret.name) {
            var value: String
            switch secret.source {
            case .environment(let variable):
                guard let v = environment[variable] else {
                    diagnostics.append(
                        Diagnostic(
                            .secretUnset, at: secret.origin.span,
                            "environment variable `\(variable)` of secret `\(secret.name)` is not set"
                        )
                        .labelled("read when artifacts are built")
                        .help("export \(variable) in the environment that runs `fabricc build`"))
                    continue
                }
                value = v
            case .file(let path):
                let declaring = provider.absolute(sources[secret.origin.span.file].displayPath)
                let absolute =
                    path.hasPrefix("/") ? path : provider.absolute(Paths.join(Paths.directory(of: declaring), path))
                switch provider.read(absolute) {
                case .failure(let e):
                    diagnostics.append(
                        Diagnostic(
                            .secretUnset, at: secret.origin.span,
                            "cannot read file `\(path)` of secret `\(secret.name)`: \(e.description)"
                        )
                        .labelled("read when artifacts are built")
                        .note("a relative path is taken from the directory of the file that declares the secret"))
                    continue
                case .success(let bytes):
                    guard let text = String(validating: bytes, as: UTF8.self) else {
                        // Decoding leniently would change the password without a word.
                        diagnostics.append(
                            Diagnostic(
                                .secretUnset, at: secret.origin.span,
                                "file `\(path)` of secret `\(secret.name)` is not UTF-8 text"
                            )
                            .labelled("read when artifacts are built"))
                        continue
                    }
                    value = text
                    // A file written by `echo` ends in a line break that is not part of the secret.
                    if value.hasSuffix("\r\n") {
                        value.removeLast(1)
                    } else if value.hasSuffix("\n") {
                        value.removeLast()
                    }
                }
            }
            guard !value.isEmpty else {
                diagnostics.append(
                    Diagnostic(.secretEmpty, at: secret.origin.span, "secret `\(secret.name)` is empty")
                        .labelled("empty when read")
                        .note("an empty BGP password would turn authentication off"))
                continue
            }
            values[secret.name] = value
        }
        return (values, diagnostics)
    }
}
