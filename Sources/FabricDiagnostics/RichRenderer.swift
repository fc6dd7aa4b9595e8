/// The multi-line form:
/// ```text
/// error[FAB1013]: prefix has host bits set
///   --> dc1.fab:3:10
///    |
///  3 |   prefix 10.0.0.1/24
///    |          ^^^^^^^^^^^ did you mean `10.0.0.0/24`?
///    = help: …
/// ```
struct RichRenderer {
    let sources: SourceMap
    let style: TerminalStyle

    func render(_ diagnostics: [Diagnostic]) -> String {
        diagnostics.map { render($0) + "\n" }.joined()
    }

    /// `error: check failed: 2 errors, 1 warning`, after all diagnostics.
    static func summary(_ diagnostics: [Diagnostic], omitted: Int, style: TerminalStyle) -> String {
        var out = ""
        if omitted > 0 {
            out +=
                style.severity(.note, "note")
                + style.bold(
                    ": \(omitted) more error\(omitted == 1 ? "" : "s") not shown; use --error-limit 0 to see all")
                + "\n"
        }
        let errors = diagnostics.errorCount + omitted
        let warnings = diagnostics.warningCount
        if errors > 0 || warnings > 0 {
            var parts: [String] = []
            if errors > 0 { parts.append("\(errors) error\(errors == 1 ? "" : "s")") }
            if warnings > 0 { parts.append("\(warnings) warning\(warnings == 1 ? "" : "s")") }
            let head = errors > 0 ? style.severity(.error, "error") : style.severity(.warning, "warning")
            out += head + style.bold(": " + (errors > 0 ? "check failed: " : "") + parts.joined(separator: ", ")) + "\n"
        }
        return out
    }

    /// One label as placed on a line: start column (0-based, in scalars), width.
    private struct Placed {
        let line: Int
        let startCol: Int
        let width: Int
        let message: String
        let primary: Bool
    }

    func render(_ d: Diagnostic) -> String {
        var out = style.severity(d.severity, "\(d.severity.rawValue)[\(d.code.id)]")
        out += style.bold(": \(TerminalText.clean(d.message))") + "\n"

        // Group labels by file, the primary's file first.
        let labels = [(d.primary, true)] + d.secondary.map { ($0, false) }
        var fileOrder: [FileID] = []
        for (l, _) in labels where !fileOrder.contains(l.span.file) { fileOrder.append(l.span.file) }

        var placedByFile: [FileID: [Placed]] = [:]
        for (label, isPrimary) in labels {
            placedByFile[label.span.file, default: []].append(place(label, primary: isPrimary))
        }
        let maxLine = placedByFile.values.flatMap { $0 }.map { $0.line + 1 }.max() ?? 1
        let width = String(maxLine).count
        let pad = String(repeating: " ", count: width)

        for (i, fid) in fileOrder.enumerated() {
            let file = sources[fid]
            let anchor = i == 0 ? d.primary.span : labels.first { $0.0.span.file == fid }!.0.span
            let loc = file.location(of: anchor.start)
            out +=
                pad + style.gutter(i == 0 ? "--> " : "::: ")
                + "\(TerminalText.clean(file.displayPath)):\(loc.line):\(loc.column)\n"
            // An unreadable file has no text to show.
            if file.bytes.isEmpty { continue }
            out += pad + style.gutter(" |") + "\n"
            let placed = placedByFile[fid]!
            let lines = Set(placed.map(\.line)).sorted()
            var previous: Int?
            for line in lines {
                if let p = previous, line > p + 1 { out += style.gutter("...") + "\n" }
                previous = line
                let text = file.lineText(line)
                let number = String(line + 1)
                out += style.gutter(String(repeating: " ", count: width - number.count) + number + " |")
                out += (text.isEmpty ? "" : " " + text) + "\n"
                let scalars = Array(text.unicodeScalars)
                let onLine = placed.filter { $0.line == line }.sorted {
                    ($0.startCol, $0.primary ? 0 : 1) < ($1.startCol, $1.primary ? 0 : 1)
                }
                for p in onLine {
                    // Copy tabs from the source line and count wide
                    // characters twice, so the marks line up.
                    var indent = ""
                    for k in 0..<min(p.startCol, scalars.count) {
                        indent +=
                            scalars[k] == "\t" ? "\t" : String(repeating: " ", count: TerminalText.width(scalars[k]))
                    }
                    if p.startCol > scalars.count {
                        indent += String(repeating: " ", count: p.startCol - scalars.count)
                    }
                    let covered = scalars[min(p.startCol, scalars.count)..<min(p.startCol + p.width, scalars.count)]
                    let cells = max(p.width - covered.count, 0) + covered.reduce(0) { $0 + TerminalText.width($1) }
                    let mark = String(repeating: p.primary ? "^" : "-", count: max(1, cells))
                    let painted = p.primary ? style.severity(d.severity, mark) : style.gutter(mark)
                    var row = pad + style.gutter(" |") + " " + indent + painted
                    if !p.message.isEmpty {
                        let message = TerminalText.clean(p.message)
                        row += " " + (p.primary ? style.severity(d.severity, message) : style.gutter(message))
                    }
                    out += row + "\n"
                }
            }
        }
        for note in d.notes {
            out += pad + style.gutter(" = ") + style.bold("note") + ": \(TerminalText.clean(note))\n"
        }
        if let help = d.help {
            out += pad + style.gutter(" = ") + style.bold("help") + ": \(TerminalText.clean(help))\n"
        }
        for site in sources.includeChain(of: d.primary.span.file) {
            let file = sources[site.file]
            let loc = file.location(of: site.start)
            out +=
                pad + style.gutter(" = ") + style.bold("note")
                + ": in file included from \(file.displayPath):\(loc.line):\(loc.column)\n"
        }
        return out
    }

    private func place(_ label: Label, primary: Bool) -> Placed {
        let file = sources[label.span.file]
        let line = file.lineIndex(of: label.span.start)
        let startLoc = file.location(of: label.span.start)
        let lineEndOffset = UInt32(file.lineRange(line).upperBound)
        let endOffset = min(label.span.end, lineEndOffset)
        let endLoc = file.location(of: max(endOffset, label.span.start))
        let width = max(1, endLoc.column - startLoc.column)
        return Placed(line: line, startCol: startLoc.column - 1, width: width, message: label.message, primary: primary)
    }
}
