import FabricDiagnostics
import FabricSema

/// One POSIX `sh` script per ESXi host with standard vSwitches:
/// `esxi/<host>.sh`, running `esxcli network vswitch standard …` with long
/// flags, re-runnable, with `--dry-run`. See `docs/backends.md`.
public struct EsxiBackend: Backend {
    public let name = "esxi"

    public init() {}

    static func hosts(_ ir: FabricIR) -> [Host] { ir.hosts.filter { $0.platform == .esxi && !$0.vswitches.isEmpty } }

    public func validate(_ ir: FabricIR) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        for host in Self.hosts(ir) {
            for vswitch in host.vswitches {
                if let problem = Self.listProblem(vswitch.name) {
                    diagnostics.append(name(problem, "vSwitch `\(vswitch.name)`", at: vswitch.origin.span))
                }
                for (uplink, span) in zip(vswitch.uplinks, vswitch.uplinkSpans) {
                    if let problem = Self.listProblem(uplink) { diagnostics.append(name(problem, "uplink `\(uplink)`", at: span)) }
                }
                for group in vswitch.portGroups {
                    if let problem = Self.listProblem(group.name) {
                        diagnostics.append(name(problem, "port group `\(group.name)`", at: group.origin.span))
                    }
                }
                let policies = [(vswitch.failover, "vSwitch `\(vswitch.name)`")] + vswitch.portGroups.map { ($0.failover, "port group `\($0.name)`") }
                for case let (failover?, owner) in policies {
                    diagnostics += uplinkProblems(failover, owner: owner, vswitch)
                }
            }
        }
        return diagnostics
    }

    /// The script reads uplinks and port groups back from `esxcli`'s
    /// comma-separated lists, trimmed: a `,` or an outer space would be ambiguous.
    static func listProblem(_ name: String) -> String? {
        if name.contains(",") { return "holds `,`, which separates names in esxcli's lists" }
        if name.first == " " || name.last == " " { return "starts or ends with a space" }
        return nil
    }

    private func name(_ problem: String, _ what: String, at span: Span) -> Diagnostic {
        Diagnostic(.esxiName, at: span, "\(what) cannot be written into an esxcli script")
            .labelled(problem)
            .help("rename it with letters, digits, `-`, `_` and inner spaces")
    }

    /// esxcli refuses a teaming order naming an uplink the vSwitch does not
    /// have, and an uplink both active and standby; IP-hash teaming takes
    /// no standby uplinks.
    private func uplinkProblems(_ failover: Failover, owner: String, _ vswitch: VSwitch) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        if failover.loadBalancing == .ipHash, !failover.standby.isEmpty {
            let span = failover.spans.indices.contains(failover.active.count) ? failover.spans[failover.active.count] : vswitch.origin.span
            diagnostics.append(Diagnostic(.esxiUplink, at: span, "\(owner) has standby uplinks with `load-balancing ip-hash`")
                .labelled("standby")
                .note("IP-hash teaming spreads traffic over every active uplink; ESXi supports no standby uplinks with it")
                .help("make every uplink active, or choose `port-id` or `mac`"))
        }
        let named = failover.active + failover.standby
        var seen: Set<String> = []
        for (uplink, span) in zip(named, failover.spans) {
            if !vswitch.uplinks.contains(uplink) {
                var d = Diagnostic(.esxiUplink, at: span, "\(owner) fails over to `\(uplink)`, which is not an uplink of vSwitch `\(vswitch.name)`")
                    .labelled("not in `uplinks`")
                if let first = vswitch.uplinkSpans.first { d = d.label(first, "the vSwitch's uplinks") }
                diagnostics.append(d.help("add `\(uplink)` to the vSwitch's `uplinks`, or name one of \(vswitch.uplinks.isEmpty ? "its uplinks (it has none)" : vswitch.uplinks.map { "`\($0)`" }.joined(separator: ", "))"))
            } else if !seen.insert(uplink).inserted {
                diagnostics.append(Diagnostic(.esxiUplink, at: span, "\(owner) names uplink `\(uplink)` twice in its failover order")
                    .labelled("already active or standby")
                    .help("list each uplink once, as active or as standby"))
            }
        }
        return diagnostics
    }

    public func generate(_ input: BackendInput) -> BackendOutput {
        let builder = EsxiScriptBuilder(input: input)
        return BackendOutput(files: Self.hosts(input.ir).map { host in
            GeneratedFile(path: "esxi/\(host.name).sh", contents: TemplateLibrary.render(builder.script(host), template: "esxi/script"))
        })
    }
}
