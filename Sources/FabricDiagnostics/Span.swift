/// Identifies one loaded source file inside a ``SourceMap``.
public struct FileID: Hashable, Sendable, Comparable {
    public let raw: UInt32
    public init(_ raw: UInt32) { self.raw = raw }
    public static func < (a: FileID, b: FileID) -> Bool { a.raw < b.raw }
}

/// A half-open byte range `[start, end)` in one source file.
///
/// Spans are compact offsets; they become line:column only when a
/// diagnostic is printed (see ``SourceFile/location(of:)``).
public struct Span: Hashable, Sendable, Comparable {
    public let file: FileID
    public let start: UInt32
    public let end: UInt32

    public init(file: FileID, start: UInt32, end: UInt32) {
        self.file = file
        self.start = start
        self.end = max(start, end)
    }

    /// The smallest span covering both `self` and `other` (same file assumed).
    public func through(_ other: Span) -> Span {
        guard other.file == file else { return self }
        return Span(file: file, start: min(start, other.start), end: max(end, other.end))
    }

    public static func < (a: Span, b: Span) -> Bool {
        (a.file, a.start, a.end) < (b.file, b.start, b.end)
    }
}

/// A 1-based line and column; columns count Unicode scalars.
public struct Location: Hashable, Sendable, Codable {
    public let line: Int
    public let column: Int
    public init(line: Int, column: Int) {
        self.line = line
        self.column = column
    }
}
