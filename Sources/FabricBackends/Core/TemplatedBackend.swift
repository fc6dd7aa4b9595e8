/// A backend that lays out its files through templates under
/// `Templates/<name>/`. The template tests iterate the registry's templated
/// backends: each template must exist, be declared, and have every name it
/// uses resolved by a golden intent's view model.
protocol TemplatedBackend: Backend {
    /// Its templates: the file names under `Templates/<name>/` without
    /// `.mustache` (`config`).
    var templates: [String] { get }

    /// Every file `generate` lays out for `input`, as view model and
    /// template, in output order. `generate` renders these (or the same
    /// per device, in parallel), so the tests see what a build writes.
    func layouts(_ input: BackendInput) -> [TemplateLayout]
}

/// One generated file before it is laid out: a view model and its template.
struct TemplateLayout: Sendable {
    let path: String
    /// `<backend>/<name>`: `bird/config`.
    let template: String
    let model: any TemplateNode & Sendable
    /// A file for the secrets folder, never for `out/`.
    var isSecret = false

    func render() -> GeneratedFile {
        GeneratedFile(path: path, contents: TemplateLibrary.render(model, template: template))
    }
}

extension Sequence<TemplateLayout> {
    /// The rendered files, split into those for `out/` and those for the
    /// secrets folder.
    func rendered() -> BackendOutput {
        var output = BackendOutput()
        for layout in self {
            if layout.isSecret {
                output.secretFiles.append(layout.render())
            } else {
                output.files.append(layout.render())
            }
        }
        return output
    }
}
