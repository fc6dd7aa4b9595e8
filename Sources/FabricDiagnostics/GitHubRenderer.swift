/// GitHub Actions workflow commands, one per diagnostic:
/// `::error file=F,line=L,col=C,endLine=L,endColumn=C,title=CODE::message`,
/// which the runner turns into annotations on the pull request. Data and
/// property values are escaped as the runner unescapes them.
struct GitHubRenderer {
    let sources: SourceMap

    func render(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for d in diagnostics {
            let file = sources[d.primary.span.file]
            let a = file.location(of: d.primary.span.start)
            let b = file.location(of: d.primary.span.end)
            let command: String
            switch d.severity {
            case .error: command = "error"
            case .warning: command = "warning"
            case .note: command = "notice"
            }
            let properties = [
                "file=" + Self.property(file.displayPath), "line=\(a.line)", "col=\(a.column)",
                "endLine=\(b.line)", "endColumn=\(b.column)", "title=" + Self.property("fabricc \(d.code.id)"),
            ]
            var message = SARIFRenderer.text(d)
            if let help = d.help { message += "\nhelp: \(help)" }
            out += "::\(command) \(properties.joined(separator: ","))::\(Self.data(message))\n"
        }
        return out
    }

    /// A command's message: `%`, CR and LF escaped.
    static func data(_ text: String) -> String {
        text.replacingOccurrences(of: "%", with: "%25").replacingOccurrences(of: "\r", with: "%0D")
            .replacingOccurrences(of: "\n", with: "%0A")
    }

    /// A property value: also `:` and `,`, which end a property.
    static func property(_ text: String) -> String {
        data(text).replacingOccurrences(of: ":", with: "%3A").replacingOccurrences(of: ",", with: "%2C")
    }
}
