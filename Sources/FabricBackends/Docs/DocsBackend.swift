import FabricBase
import FabricDiagnostics
import FabricSema

/// A handbook of the fabric in Markdown under `docs/`: an index with the
/// devices and the BGP picture (`bgp.dot`), the pools with their use, every
/// BGP session, where each VLAN is carried, and a page per device linking
/// to its generated files. Every figure is the IR's.
public struct DocsBackend: Backend {
    public let name = "docs"

    public init() {}

    /// None: it describes a model the checks passed, and cannot fail.
    public var diagnostics: DiagnosticGroup { DiagnosticGroup(range: "FAB77xx", stage: "docs backend", codes: []) }

    public func validate(_ ir: FabricIR) -> [Diagnostic] { [] }

    public func generate(_ input: BackendInput) -> BackendOutput {
        let pages = DocsPages(input)
        var output = BackendOutput()
        output.files.append(GeneratedFile(path: "docs/index.md", contents: pages.index()))
        output.files.append(
            GeneratedFile(
                path: "docs/bgp.dot",
                contents: FabricPicture.graph(input.ir, view: .bgp).render()))
        output.files.append(GeneratedFile(path: "docs/pools.md", contents: pages.pools()))
        output.files.append(GeneratedFile(path: "docs/sessions.md", contents: pages.sessions()))
        output.files.append(GeneratedFile(path: "docs/vlans.md", contents: pages.vlans()))
        for d in pages.devices {
            output.files.append(GeneratedFile(path: "docs/devices/\(d.name).md", contents: pages.device(d)))
        }
        return output
    }
}
