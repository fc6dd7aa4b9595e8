import FabricDiagnostics
import FabricTestSupport
import Foundation
import Testing

@testable import FabricSyntax

/// The parser must end in diagnostics or success on any input: no crash, no
/// hang. A hang would stop the suite; a crash would kill it.
@Suite struct FuzzTests {
    /// Parses and renders; returns a complaint when a diagnostic points
    /// outside the file it is about. (`#expect` per diagnostic is too slow
    /// for a hundred thousand of them.)
    func checkSpans(_ bytes: [UInt8]) -> String? {
        var sources = SourceMap()
        let id = sources.add(displayPath: "fuzz.fab", bytes: bytes)
        let (_, diagnostics) = Parser.parse(sources[id])
        if let bad = diagnostics.first(where: {
            Int($0.primary.span.end) > bytes.count || $0.secondary.contains { Int($0.span.end) > bytes.count }
        }) {
            return "\(bad.code.id) points past the end of \(bytes)"
        }
        _ = DiagnosticRenderer(format: .rich).render(Array(diagnostics.prefix(3)), sources: sources)
        return nil
    }

    @Test func tenThousandRandomByteStrings() {
        var rng = SplitMix64(state: 0xFAB_2026)
        var complaints: [String] = []
        // Bias towards bytes that mean something to the lexer.
        let interesting = Array("{}();,.:/\"\\$#*-+%0123456789abcdefx \n\t".utf8) + [0xC3, 0xA9, 0xFF, 0x00, 0x80]
        for _ in 0..<10_000 {
            let length = Int.random(in: 0...160, using: &rng)
            let bytes = (0..<length).map { _ in
                Bool.random(using: &rng)
                    ? interesting.randomElement(using: &rng)! : UInt8.random(in: 0...255, using: &rng)
            }
            if let complaint = checkSpans(bytes) { complaints.append(complaint) }
        }
        #expect(complaints.isEmpty, "\(complaints.prefix(3))")
    }

    @Test func tenThousandTokenMutationsOfTheExamples() throws {
        let examples = try exampleSources()
        try #require(!examples.isEmpty, "examples/ holds no .fab files")
        var rng = SplitMix64(state: 0xDC1)
        var complaints: [String] = []
        for n in 0..<10_000 {
            let source = examples[n % examples.count]
            let tokens = Lexer.tokenize(source, file: FileID(0)).tokens.filter { $0.kind != .eof }
            guard !tokens.isEmpty else { continue }
            var pieces = tokens.map { Array(source[Int($0.start)..<Int($0.end)]) }
            for _ in 0..<Int.random(in: 1...4, using: &rng) {
                let i = Int.random(in: 0..<pieces.count, using: &rng)
                switch Int.random(in: 0..<5, using: &rng) {
                case 0: pieces.remove(at: i)
                case 1: pieces.insert(pieces[i], at: i)
                case 2: pieces.swapAt(i, Int.random(in: 0..<pieces.count, using: &rng))
                case 3: pieces[i] = pieces.randomElement(using: &rng)!
                default:
                    pieces[i] = Array(
                        ["{", "}", "\"", "${", "..", "/", "::", "for", "include", "(", "9999999999999999999"]
                            .randomElement(using: &rng)!.utf8)
                }
                if pieces.isEmpty { break }
            }
            if let complaint = checkSpans(Array(pieces.joined(separator: [0x20]))) { complaints.append(complaint) }
        }
        #expect(complaints.isEmpty, "\(complaints.prefix(3))")
    }

    func exampleSources() throws -> [[UInt8]] {
        let root = PackageRoot.url
        let examples = root.appendingPathComponent("examples")
        guard let walker = FileManager.default.enumerator(at: examples, includingPropertiesForKeys: nil) else {
            return []
        }
        return walker.compactMap { $0 as? URL }
            .filter { $0.pathExtension == "fab" }
            .sorted { $0.path < $1.path }
            .compactMap { try? [UInt8](Data(contentsOf: $0)) }
    }
}
