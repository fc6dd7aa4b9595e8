import FabricDiagnostics
import FabricSema

/// Junos configurations for every router of platform `junos`:
/// `junos/<router>.conf` (curly-brace text for `load replace`),
/// `junos/<router>.set` (`set` commands for `load set`) and
/// `junos/<router>.xml` (a NETCONF `<load-configuration>` body). The three
/// are laid out from one list of statements. See `docs/backends.md`.
public struct JunosBackend: Backend {
    public let name = "junos"

    public init() {}

    static func routers(_ ir: FabricIR) -> [Router] { ir.routers.filter { $0.platform == .junos } }

    public func validate(_ ir: FabricIR) -> [Diagnostic] {
        let routers = Self.routers(ir)
        guard !routers.isEmpty else { return [] }
        var diagnostics: [Diagnostic] = []
        let fabric = ir.settings.name
        if let problem = JunosText.nameProblem(fabric + JunosModelBuilder.longestSuffix) {
            let span = ir.settings.origin?.span ?? routers[0].origin.span
            diagnostics.append(
                Diagnostic(.junosName, at: span, "fabric name `\(fabric)` cannot prefix Junos policy and group names")
                    .labelled(JunosText.nameProblem(fabric) ?? problem)
                    .note(
                        "router `\(routers[0].name)` gets `\(fabric)-reflectors-external`, `\(fabric)-reflectors-external-import`, …"
                    ))
        }
        var pools: Set<String> = []
        for router in routers { pools.formUnion(router.accept) }
        for pool in ir.pools where pools.contains(pool.name) {
            let term = JunosModelBuilder.termName(pool.name)
            if let problem = JunosText.nameProblem(pool.name) ?? JunosText.nameProblem(term) {
                diagnostics.append(
                    Diagnostic(.junosName, at: pool.origin.span, "pool `\(pool.name)` cannot name a Junos policy term")
                        .labelled(problem)
                        .note("a router of platform `junos` accepts it, in a term `\(term)`"))
            }
        }
        // Descriptions of the peers become `neighbor … description "…"`.
        var described: Set<Device> = []
        for router in routers {
            for s in router.sessions.map({ ir.sessions[$0] }) where described.insert(s.a).inserted {
                let description: Located<String>? =
                    switch s.a {
                    case .reflector(let n): ir.reflectors.first { $0.name == n }?.description
                    case .host(let n): ir.hosts.first { $0.name == n }?.description
                    case .router: nil
                    }
                guard let description else { continue }
                let composed = JunosModelBuilder.neighborDescription(s.a, description.value)
                let problem =
                    JunosText.quoted(description.value) == nil
                    ? "holds a line break or a control character"
                    : composed.utf8.count > 255
                        ? "makes a description of \(composed.utf8.count) bytes; at most 255" : nil
                if let problem {
                    diagnostics.append(
                        Diagnostic(
                            .junosString, at: description.span,
                            "the description of \(s.a.kind) `\(s.a.name)` cannot be a Junos description"
                        )
                        .labelled(problem)
                        .note(
                            "it becomes the description of the BGP neighbor on router `\(router.name)`, after `\(JunosModelBuilder.neighborDescription(s.a, nil)): `"
                        ))
                }
            }
        }
        diagnostics += rejectedPodBlocks(ir, routers)
        return diagnostics
    }

    /// A leaf imports from its nodes only the pod blocks inside the pools it
    /// accepts; a block outside every one is announced and dropped.
    private func rejectedPodBlocks(_ ir: FabricIR, _ routers: [Router]) -> [Diagnostic] {
        let pools = Dictionary(ir.pools.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let hosts = Dictionary(ir.hosts.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        var diagnostics: [Diagnostic] = []
        for router in routers {
            let accepted = router.accept.compactMap { pools[$0] }
            for s in router.sessions.map({ ir.sessions[$0] }) where s.role == .leaf {
                guard case .host(let name) = s.a, let host = hosts[name] else { continue }
                for (block, span) in host.podBlocks.map({ ($0.value, $0.span) })
                where !accepted.contains(where: { $0.prefix.value.contains(block) }) {
                    diagnostics.append(
                        Diagnostic(
                            .junosPodBlock, at: span,
                            "router `\(router.name)` rejects pod block \(block) of node `\(host.name)`"
                        )
                        .labelled("inside no pool `\(router.name)` accepts")
                        .note(
                            accepted.isEmpty
                                ? "router `\(router.name)` accepts no pool"
                                : "router `\(router.name)` accepts \(accepted.map { "`\($0.name)` (\($0.prefix.value))" }.joined(separator: ", "))"
                        ))
                }
            }
        }
        return diagnostics
    }

    public func generate(_ input: BackendInput) -> BackendOutput {
        var output = BackendOutput()
        var builder = JunosModelBuilder(input: input)
        let generated = "Generated by fabricc \(input.compilerVersion) from \(input.sourceName); do not edit."
        for router in Self.routers(input.ir) {
            let config = builder.config(router)
            let base = "junos/\(router.name)"
            var header = [
                generated, "Load with `load replace`: the blocks marked `replace:` are fabricc's and are",
                "replaced whole; everything else is merged.",
            ]
            if config.usesSecrets {
                header += [
                    "The BGP authentication keys are in \(base).secrets.conf (.set, .xml), which",
                    "`fabricc build --secrets DIR` writes into DIR: load it with `load merge` after",
                    "this file, before the commit.",
                ]
            }
            output.files += Self.forms(
                base, config.statements, header: header, xmlComment: generated, action: "replace")
            // The overlay, for the secrets folder only: merged over the
            // configuration after it is loaded, in each of the three forms.
            guard !config.secrets.isEmpty else { continue }
            let overlay = [
                generated, "BGP authentication keys of \(base).conf: load with `load merge` after it,",
                "before the commit. Keep this file out of version control.",
            ]
            output.secretFiles += Self.forms(
                base + ".secrets", config.secrets, header: overlay,
                xmlComment: overlay.joined(separator: " "), action: "merge")
        }
        output.diagnostics = builder.diagnostics
        return output
    }
}

extension JunosBackend {
    /// `<base>.conf`, `.set` and `.xml`: one list of statements in the three
    /// forms (the set form has no comment: `load set` takes commands only).
    static func forms(
        _ base: String, _ statements: [JunosStatement], header: [String], xmlComment: String, action: String
    ) -> [GeneratedFile] {
        // The three forms are laid out at once: a border router accepting
        // a thousand pools has one large configuration, in three texts.
        ParallelRender.map([".conf", ".set", ".xml"]) { form in
            switch form {
            case ".conf":
                GeneratedFile(
                    path: base + form,
                    contents: JunosText.file(header.map { "## " + JunosText.comment($0) } + JunosText.lines(statements))
                )
            case ".set":
                GeneratedFile(path: base + form, contents: JunosText.file(JunosText.commands(statements)))
            default:
                GeneratedFile(
                    path: base + form,
                    contents: JunosXML.document(statements, comment: xmlComment, action: action) + "\n")
            }
        }
    }
}
