/// One source file's bytes and the index needed to print positions.
///
/// The bytes are kept as read: invalid UTF-8 is reported by the lexer,
/// and shown with replacement characters when a line is printed.
public struct SourceFile: Sendable {
    public let id: FileID
    /// The path as shown to users (relative, as given or as included).
    public let displayPath: String
    public let bytes: [UInt8]
    /// Where the `include` that loaded this file stands, if any.
    public let includedFrom: Span?
    /// Byte offset of the first byte of every line.
    public let lineStarts: [UInt32]
    /// Whether a line is plain printable ASCII (tab allowed): then a
    /// column is a byte count, found without decoding the line.
    let plainLines: [Bool]
    /// Length of a UTF-8 byte-order mark at the start, which is no column.
    let bomLength: Int

    public init(id: FileID, displayPath: String, bytes: [UInt8], includedFrom: Span? = nil) {
        self.id = id
        self.displayPath = displayPath
        self.bytes = bytes
        self.includedFrom = includedFrom
        var starts: [UInt32] = [0]
        var plain: [Bool] = []
        starts.reserveCapacity(bytes.count / 24 + 1)
        var linePlain = true
        for (i, b) in bytes.enumerated() {
            if b == UInt8(ascii: "\n") {
                starts.append(UInt32(i + 1))
                plain.append(linePlain)
                linePlain = true
            } else if b >= 0x7F || (b < 0x20 && b != 0x09 && b != 0x0D) {
                linePlain = false
            }
        }
        plain.append(linePlain)
        self.lineStarts = starts
        self.plainLines = plain
        self.bomLength = bytes.starts(with: [0xEF, 0xBB, 0xBF]) ? 3 : 0
    }

    public var lineCount: Int { lineStarts.count }

    /// The same file under another id, without finding its lines again.
    public func withID(_ id: FileID) -> SourceFile {
        SourceFile(
            id: id, displayPath: displayPath, bytes: bytes, includedFrom: includedFrom, lineStarts: lineStarts,
            plainLines: plainLines, bomLength: bomLength)
    }

    private init(
        id: FileID, displayPath: String, bytes: [UInt8], includedFrom: Span?, lineStarts: [UInt32],
        plainLines: [Bool], bomLength: Int
    ) {
        self.id = id
        self.displayPath = displayPath
        self.bytes = bytes
        self.includedFrom = includedFrom
        self.lineStarts = lineStarts
        self.plainLines = plainLines
        self.bomLength = bomLength
    }

    /// The 0-based line index holding `offset`.
    public func lineIndex(of offset: UInt32) -> Int {
        var lo = 0
        var hi = lineStarts.count - 1
        while lo < hi {
            let mid = (lo + hi + 1) / 2
            if lineStarts[mid] <= offset { lo = mid } else { hi = mid - 1 }
        }
        return lo
    }

    /// Byte range of line `index` (0-based), without its line terminator.
    public func lineRange(_ index: Int) -> Range<Int> {
        let start = Int(lineStarts[index])
        var end = index + 1 < lineStarts.count ? Int(lineStarts[index + 1]) - 1 : bytes.count
        if end > start, bytes[end - 1] == UInt8(ascii: "\r") { end -= 1 }
        return start..<max(start, end)
    }

    /// The text of line `index` (0-based) as displayed: invalid UTF-8
    /// becomes U+FFFD, other control characters (but tab) become U+FFFD too
    /// so a hostile byte cannot drive the terminal.
    public func lineText(_ index: Int) -> String {
        var range = lineRange(index)
        if index == 0 { range = min(range.lowerBound + bomLength, range.upperBound)..<range.upperBound }
        return Self.displayable(bytes[range])
    }

    public func location(of offset: UInt32) -> Location {
        let line = lineIndex(of: offset)
        var start = Int(lineStarts[line])
        if line == 0 { start = min(bomLength, bytes.count) }
        let clamped = max(start, min(Int(offset), bytes.count))
        if plainLines[line] {
            return Location(line: line + 1, column: clamped - start + 1)
        }
        let prefix = Self.displayable(bytes[start..<clamped])
        return Location(line: line + 1, column: prefix.unicodeScalars.count + 1)
    }

    static func displayable(_ slice: ArraySlice<UInt8>) -> String {
        let decoded = String(decoding: slice, as: UTF8.self)
        var needsRewrite = false
        for s in decoded.unicodeScalars where s.value < 0x20 && s != "\t" || s.value == 0x7F {
            needsRewrite = true
            break
        }
        guard needsRewrite else { return decoded }
        var out = String.UnicodeScalarView()
        for s in decoded.unicodeScalars {
            if (s.value < 0x20 && s != "\t") || s.value == 0x7F {
                out.append("\u{FFFD}")
            } else {
                out.append(s)
            }
        }
        return String(out)
    }
}

/// All source files of one compilation, addressed by ``FileID``.
public struct SourceMap: Sendable {
    public private(set) var files: [SourceFile] = []

    public init() {}

    /// Adds a file and returns its id.
    @discardableResult
    public mutating func add(displayPath: String, bytes: [UInt8], includedFrom: Span? = nil) -> FileID {
        let id = FileID(UInt32(files.count))
        files.append(SourceFile(id: id, displayPath: displayPath, bytes: bytes, includedFrom: includedFrom))
        return id
    }

    /// Adds a file read (and its lines found) elsewhere, under the next id.
    public mutating func add(_ file: SourceFile) -> FileID {
        let id = FileID(UInt32(files.count))
        files.append(file.withID(id))
        return id
    }

    public subscript(id: FileID) -> SourceFile { files[Int(id.raw)] }

    public func location(of span: Span) -> Location { self[span.file].location(of: span.start) }

    /// The chain of `include` sites that led to `file`, innermost first.
    public func includeChain(of file: FileID) -> [Span] {
        var chain: [Span] = []
        var current = self[file].includedFrom
        while let site = current, chain.count < files.count {
            chain.append(site)
            current = self[site.file].includedFrom
        }
        return chain
    }

    /// The source text covered by `span`, decoded leniently.
    public func text(of span: Span) -> String {
        let bytes = self[span.file].bytes
        let lo = min(Int(span.start), bytes.count)
        let hi = min(Int(span.end), bytes.count)
        return String(decoding: bytes[lo..<hi], as: UTF8.self)
    }
}
