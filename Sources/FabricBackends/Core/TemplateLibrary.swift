import Foundation
import Mustache

/// The logic-less templates under `Templates/<backend>/`, parsed once per
/// process and shared by every render.
enum TemplateLibrary {
    /// Every `*.mustache` below the bundled `Templates` folder, registered as
    /// `<backend>/<name>` (partials use the same names).
    static let shared: MustacheLibrary = {
        var library = MustacheLibrary()
        guard let root = Bundle.module.url(forResource: "Templates", withExtension: nil),
              let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)
        else { fatalError("fabricc: the Templates resource bundle is missing; reinstall fabricc") }
        let prefix = root.standardizedFileURL.path.count + 1
        for case let url as URL in walker where url.pathExtension == "mustache" {
            let name = String(url.standardizedFileURL.deletingPathExtension().path.dropFirst(prefix))
            do {
                try library.register(String(contentsOf: url, encoding: .utf8), named: name)
            } catch {
                fatalError("fabricc: template \(name) does not parse: \(error)")
            }
        }
        return library
    }()

    /// Renders `model` through the template `name` (`bird/config`).
    static func render(_ model: Any, template name: String) -> String {
        guard let text = shared.render(model, withTemplate: name) else {
            fatalError("fabricc: no template named \(name)")
        }
        // A closing section tag on the last line takes its line break along.
        return text.hasSuffix("\n") ? text : text + "\n"
    }
}
