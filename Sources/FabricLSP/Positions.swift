import FabricDiagnostics

/// LSP positions count lines from 0 and characters in UTF-16 code units;
/// fabricc's spans are byte offsets. Converts both ways on a source file,
/// clamping what lies outside it.
enum Positions {
    static func position(_ file: SourceFile, _ offset: UInt32) -> Position {
        let o = min(Int(offset), file.bytes.count)
        let line = file.lineIndex(of: UInt32(o))
        let start = Int(file.lineStarts[line])
        let prefix = String(decoding: file.bytes[start..<max(start, o)], as: UTF8.self)
        return Position(line: line, character: prefix.utf16.count)
    }

    static func range(_ file: SourceFile, _ span: Span) -> LSPRange {
        LSPRange(start: position(file, span.start), end: position(file, span.end))
    }

    /// The byte offset of an LSP position; past a line's end is its end,
    /// past the last line is the file's end.
    static func offset(_ file: SourceFile, _ p: Position) -> UInt32 {
        guard p.line >= 0 else { return 0 }
        guard p.line < file.lineCount else { return UInt32(file.bytes.count) }
        let range = file.lineRange(p.line)
        let text = String(decoding: file.bytes[range], as: UTF8.self)
        var units = 0
        var bytes = 0
        for scalar in text.unicodeScalars {
            if units >= p.character { break }
            units += scalar.utf16.count
            bytes += scalar.utf8.count
        }
        return UInt32(min(range.lowerBound + bytes, range.upperBound))
    }
}
