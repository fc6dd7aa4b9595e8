extension DiagnosticCatalogue {
    /// `docs/diagnostics.md`, generated so the documentation cannot drift
    /// from the catalogue (a test compares the committed file).
    /// An example for a code: an intent and what `check` (or `build`) prints for it.
    public struct Example: Sendable {
        public let source: String
        public let output: String
        public init(source: String, output: String) {
            self.source = source
            self.output = output
        }
    }

    public func markdown(examples: [String: Example] = [:]) -> String {
        var out = """
            # Diagnostics

            <!-- Generated from the diagnostic catalogue (FabricDiagnostics and each
                 backend's *Diagnostics.swift); do not edit by hand.
                 Regenerate with: FABRICC_UPDATE_GOLDEN=1 swift test --filter DocsTests -->

            Every diagnostic fabricc prints has a stable code. `fabricc explain CODE`
            prints the explanation below; `fabricc explain all` lists the codes. Each
            example is a golden test case (`Golden/`), so it is what fabricc prints.

            | Range | Stage |
            | --- | --- |

            """
        for group in groups {
            out += "| \(group.range) | \(group.stage) |\n"
        }
        out += """

            | Code | Severity | Title |
            | --- | --- | --- |

            """
        for code in all {
            out +=
                "| [\(code.id)](#\(code.id.lowercased())) | \(code.severity.rawValue) | \(code.title.replacingOccurrences(of: "|", with: "\\|")) |\n"
        }
        for code in all {
            out += "\n## \(code.id)\n\n**\(code.title)** (\(code.severity.rawValue))\n\n\(code.explanation)\n"
            if let example = examples[code.id] {
                out +=
                    "\nExample:\n\n```fab\n\(example.source)\(example.source.hasSuffix("\n") ? "" : "\n")```\n\n```text\n\(example.output)```\n"
            }
        }
        return out
    }
}
