/// `file:line:col: severity[CODE]: message`, one line each, for editors and
/// CI problem matchers.
struct ShortRenderer {
    let sources: SourceMap

    func render(_ diagnostics: [Diagnostic]) -> String {
        var out = ""
        for d in diagnostics {
            let file = sources[d.primary.span.file]
            let loc = file.location(of: d.primary.span.start)
            out +=
                "\(TerminalText.clean(file.displayPath)):\(loc.line):\(loc.column): \(d.severity.rawValue)[\(d.code.id)]: \(TerminalText.clean(d.message))\n"
        }
        return out
    }
}
