import ArgumentParser
import FabricBackends
import FabricDiagnostics

struct Explain: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Explain a diagnostic code, or a topic.",
        discussion: "Examples: fabricc explain FAB1013; fabricc explain allocation"
    )

    @Argument(help: "A code such as FAB1013, a topic (`allocation`), or `all` to list every code and topic.")
    var code: String

    func run() throws {
        if code.lowercased() == "all" {
            for c in DiagnosticCatalogue.fabricc.all {
                print("\(c.id)  \(c.severity.rawValue.padding(toLength: 7, withPad: " ", startingAt: 0))  \(c.title)")
            }
            for t in ExplainTopics.all { print("\(t.names[0])  topic    \(t.title)") }
            return
        }
        if let topic = ExplainTopics.named(code) {
            print("\(topic.title)\n\n\(topic.text)")
            return
        }
        guard let c = DiagnosticCatalogue.fabricc.code(code) else {
            var message = "unknown diagnostic code `\(code)`"
            if let near = Spelling.suggest(code.uppercased(), among: DiagnosticCatalogue.fabricc.all.map(\.id)) {
                message += "; did you mean \(near)?"
            }
            writeToStandardError("error: " + message + " (`fabricc explain all` lists them)\n")
            throw ExitCode(64)
        }
        print("\(c.id): \(c.title) (\(c.severity.rawValue))\n\n\(c.explanation)")
    }
}
