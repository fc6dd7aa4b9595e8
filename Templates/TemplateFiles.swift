import Foundation

/// Where the bundled templates are: `<backend>/<name>.mustache` below
/// ``root``. The folders beside this file are the templates; this file only
/// makes them a resource bundle SwiftPM can build.
public enum TemplateFiles {
    public static var root: URL? { Bundle.module.resourceURL }
}
