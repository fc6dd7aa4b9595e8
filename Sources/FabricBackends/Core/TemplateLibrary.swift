import FabricTemplates
import Foundation

/// The logic-less templates under `Templates/<backend>/`, parsed once per
/// process and shared by every render.
enum TemplateLibrary {
    /// Every `*.mustache` of the bundled `Templates/` folder, by
    /// `<backend>/<name>`.
    static let shared: [String: Template] = {
        var templates: [String: Template] = [:]
        for (name, text) in sources {
            do {
                templates[name] = try Template(text)
            } catch {
                fatalError("fabricc: template \(name) does not parse: \(error)")
            }
        }
        return templates
    }()

    /// The text of every bundled template, by name (the engine-equivalence
    /// test reads them too).
    static let sources: [String: String] = {
        guard let root = TemplateFiles.root,
            let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        else { fatalError("fabricc: the Templates resource bundle is missing; reinstall fabricc") }
        let prefix = root.standardizedFileURL.path.count + 1
        var sources: [String: String] = [:]
        for case let url as URL in walker where url.pathExtension == "mustache" {
            let name = String(url.standardizedFileURL.deletingPathExtension().path.dropFirst(prefix))
            guard let text = try? String(contentsOf: url, encoding: .utf8) else {
                fatalError("fabricc: template \(name) cannot be read")
            }
            sources[name] = text
        }
        return sources
    }()

    /// Renders `model` through the template `name` (`bird/config`).
    static func render(_ model: some TemplateNode, template name: String) -> String {
        guard let template = shared[name] else {
            // A folder new to Templates/ is bundled once SwiftPM reads
            // Package.swift again, which its manifest cache may skip.
            fatalError(
                "fabricc: no template named \(name); a new Templates/ folder needs `swift build --manifest-cache none` once"
            )
        }
        let text = template.render(model)
        // A closing section tag on the last line takes its line break along.
        return text.hasSuffix("\n") ? text : text + "\n"
    }
}
