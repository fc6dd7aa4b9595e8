import FabricSyntax
import FabricTestSupport
import Foundation
import Testing

/// The editor grammar cannot fall behind the language: every block keyword
/// and attribute of the schema is one it colours.
@Test func theGrammarKnowsEveryKeyword() throws {
    let url = PackageRoot.url.appendingPathComponent("editors/vscode/syntaxes/fab.tmLanguage.json")
    let grammar = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
    let repository = try #require(grammar["repository"] as? [String: Any])
    func matches(_ rule: String) -> String {
        let patterns = ((repository[rule] as? [String: Any])?["patterns"] as? [[String: Any]]) ?? []
        return patterns.compactMap { $0["match"] as? String }.joined(separator: "\n")
    }
    let declarations = matches("declaration")
    let attributes = matches("attribute") + "\n" + declarations
    func listed(_ word: String, in text: String) -> Bool {
        let escaped = word.replacingOccurrences(of: "-", with: "\\-")
        return text.contains("|\(escaped)|") || text.contains("(\(escaped)|") || text.contains("|\(escaped))")
    }
    for block in LanguageSchema.blocks {
        #expect(listed(block.keyword, in: declarations), "block `\(block.keyword)` is not in the grammar")
        for a in block.attributes {
            #expect(listed(a.name, in: attributes), "attribute `\(a.name)` of `\(block.keyword)` is not in the grammar")
        }
    }
    let package = try String(
        contentsOf: PackageRoot.url.appendingPathComponent("editors/vscode/package.json"), encoding: .utf8)
    #expect(package.contains("\"extensions\": [\n          \".fab\"\n        ]") || package.contains("\".fab\""))
}
