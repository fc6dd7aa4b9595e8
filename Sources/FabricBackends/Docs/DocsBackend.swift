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

    /// Each page is independent of the others: they are laid out at once.
    enum Page: Sendable {
        case index, picture, pools, sessions, vlans
        case device(DocsPages.DeviceRef)
    }

    public func generate(_ input: BackendInput) -> BackendOutput {
        let pages = DocsPages(input)
        let all: [Page] = [.index, .picture, .pools, .sessions, .vlans] + pages.devices.map { .device($0) }
        var output = BackendOutput()
        output.files = ParallelRender.map(all) { page in
            switch page {
            case .index: GeneratedFile(path: "docs/index.md", contents: pages.index())
            case .picture:
                GeneratedFile(path: "docs/bgp.dot", contents: FabricPicture.graph(pages.ir, view: .bgp).render())
            case .pools: GeneratedFile(path: "docs/pools.md", contents: pages.pools())
            case .sessions: GeneratedFile(path: "docs/sessions.md", contents: pages.sessions())
            case .vlans: GeneratedFile(path: "docs/vlans.md", contents: pages.vlans())
            case .device(let d): GeneratedFile(path: "docs/devices/\(d.name).md", contents: pages.device(d))
            }
        }
        return output
    }
}
