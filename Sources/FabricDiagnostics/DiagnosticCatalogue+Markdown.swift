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

    public static func markdown(examples: [String: Example] = [:]) -> String {
        var out = """
            # Diagnostics

            <!-- Generated from DiagnosticCatalogue.swift; do not edit by hand.
                 Regenerate with: FABRICC_UPDATE_GOLDEN=1 swift test --filter DocsTests -->

            Every diagnostic fabricc prints has a stable code. `fabricc explain CODE`
            prints the explanation below; `fabricc explain all` lists the codes. Each
            example is a golden test case (`Golden/`), so it is what fabricc prints.

            | Range | Stage |
            | --- | --- |
            | FAB0xxx | input files |
            | FAB1xxx | lexical and syntax errors, includes |
            | FAB2xxx | structure: keywords, names and values against the language schema |
            | FAB3xxx | names, references, types and value ranges |
            | FAB4xxx | addressing and VLAN checks |
            | FAB5xxx | BGP design checks |
            | FAB6xxx | names and strings a target cannot carry |
            | FAB70xx | build: secrets read when artifacts are written |
            | FAB71xx | BIRD backend: what the target BIRD cannot carry (reported by `check` too) |
            | FAB72xx | Junos backend: names and text a Junos configuration cannot carry |
            | FAB73xx | ESXi backend: names and failover orders an esxcli script cannot carry |
            | FAB74xx | Antrea backend: pools an IPPool needs, and changes Antrea refuses |
            | FAB75xx | OVS backend: port VLANs and wiring the host script cannot apply |
            | FAB80xx | the output tree, the secrets folder and `--previous` on disk (no source line) |

            | Code | Severity | Title |
            | --- | --- | --- |

            """
        for code in all {
            out += "| [\(code.id)](#\(code.id.lowercased())) | \(code.severity.rawValue) | \(code.title.replacingOccurrences(of: "|", with: "\\|")) |\n"
        }
        for code in all {
            out += "\n## \(code.id)\n\n**\(code.title)** (\(code.severity.rawValue))\n\n\(code.explanation)\n"
            if let example = examples[code.id] {
                out += "\nExample:\n\n```fab\n\(example.source)\(example.source.hasSuffix("\n") ? "" : "\n")```\n\n```text\n\(example.output)```\n"
            }
        }
        return out
    }
}
