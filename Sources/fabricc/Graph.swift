import ArgumentParser
import FabricBackends
import FabricDriver
import Foundation

struct Graph: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Draw the fabric: BGP sessions, L2 wiring, or both, as Graphviz DOT or a picture.",
        discussion: """
            Writes DOT on standard output; with -o FILE.svg (or .png, .pdf) renders it
            through Graphviz's `dot`, which must be installed; -o FILE.dot writes DOT.
              fabricc graph intent.fab --view bgp -o bgp.svg
              fabricc graph intent.fab --view l2 | dot -Tsvg > l2.svg
            Above --collapse-above hosts (or VMs on one bridge), those of one cluster (or
            with the same reflectors) are drawn as one node with exact counts.
            """)

    @Argument(help: "The entry .fab file.")
    var file: String

    @Option(help: "bgp (devices and sessions), l2 (hosts, bridges, ports, VLANs, VMs) or all.")
    var view: String = "bgp"

    @Option(name: .shortAndLong, help: "Write here: .dot, or .svg, .png, .pdf through Graphviz.")
    var output: String?

    @Option(name: .customLong("collapse-above"), help: "Draw more hosts (or VMs on one bridge) than this as one node.")
    var collapseAbove = FabricPicture.defaultCollapse

    @OptionGroup var diagnostics: DiagnosticOptions

    func validate() throws {
        try diagnostics.validate(entries: [file])
        guard FabricPicture.View(rawValue: view) != nil else {
            throw ValidationError("unknown view `\(view)`; views: bgp, l2, all")
        }
        guard collapseAbove >= 1 else { throw ValidationError("--collapse-above is at least 1") }
        if let output {
            let ext = output.split(separator: ".").last.map { String($0).lowercased() } ?? ""
            guard ext == "dot" || Graphviz.formats.contains(ext), output.contains(".") else {
                throw ValidationError("-o names a .dot, .svg, .png or .pdf file")
            }
        }
    }

    func run() throws {
        let result = Driver.check(file, options: diagnostics.checkOptions)
        diagnostics.report([result], stdoutIsTaken: output == nil)
        guard let ir = result.ir else { throw ExitCode(1) }
        let text = FabricPicture.graph(ir, view: FabricPicture.View(rawValue: view)!, collapseAbove: collapseAbove)
            .render()
        guard let output else {
            print(text, terminator: "")
            return
        }
        let ext = String(output.split(separator: ".").last!).lowercased()
        do {
            let data = ext == "dot" ? Data(text.utf8) : try Graphviz.render(text, format: ext)
            try data.write(to: URL(fileURLWithPath: output), options: .atomic)
        } catch let failure as Graphviz.Failure {
            writeToStandardError("fabricc: error: \(failure)\n")
            throw ExitCode(1)
        } catch {
            writeToStandardError("fabricc: error: cannot write \(output): \(error.localizedDescription)\n")
            throw ExitCode(1)
        }
    }
}
