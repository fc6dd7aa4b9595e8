import FabricDiagnostics
import FabricDriver
import FabricSyntax
import FabricTestSupport
import Foundation
import Testing

/// The whole pipeline (parse, expand, resolve, every check, every backend)
/// on mutated examples: the semantic checks run on models with holes, and
/// must end in diagnostics or success on any of them, never a crash. A
/// sample of the BIRD configs built from mutants that still check clean
/// must load in the real BIRD.
@Test func twoThousandMutationsThroughTheWholePipeline() throws {
    let dir = PackageRoot.url.appendingPathComponent("examples")
    let names = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".fab") }.sorted()
    let sources = try names.map { try [UInt8](Data(contentsOf: dir.appendingPathComponent($0))) }
    try #require(!sources.isEmpty)
    var state: UInt64 = 0x5EED
    func next(_ n: Int) -> Int {
        state = state &* 6_364_136_223_846_793_005 &+ 1_442_695_040_888_963_407
        return Int((state >> 33) % UInt64(n))
    }
    var checked = 0
    // A config and the secrets file deployed beside it.
    var birdSamples: [(config: String, secrets: String?)] = []
    for round in 0..<2000 {
        let source = sources[round % sources.count]
        let tokens = Lexer.tokenize(source, file: FileID(0)).tokens.filter { $0.kind != .eof && $0.kind != .newline }
        guard !tokens.isEmpty else { continue }
        var bytes = source
        // Replace one token's text with another token's: keeps the file
        // mostly valid, so the mutation reaches the semantic stage.
        let target = tokens[next(tokens.count)]
        let donor = tokens[next(tokens.count)]
        bytes.replaceSubrange(Int(target.start)..<Int(target.end), with: source[Int(donor.start)..<Int(donor.end)])
        let provider = MemorySourceProvider(bytes: ["/x/main.fab": bytes], workingDirectory: "/x")
        let result = Driver.check("main.fab", provider: provider)
        _ = Driver.render([result], format: .rich, colors: false, errorLimit: 0)
        if result.ir != nil { _ = result.ir!.json(sources: result.sources) }
        if !result.hasErrors {
            let build = Driver.build(
                "main.fab", options: BuildOptions(environment: ["BGP_PASSWORD": "fuzz"], writeSecrets: true),
                provider: provider)
            if let conf = build.files.first(where: { $0.path.hasPrefix("bird/") }) {
                let secrets = conf.path.replacingOccurrences(of: ".conf", with: ".secrets.conf")
                birdSamples.append((conf.contents, build.secretFiles.first { $0.path == secrets }?.contents))
            }
        }
        checked += 1
    }
    #expect(checked > 1900)
    #expect(birdSamples.count > 8)  // S1 and S5 give BIRD configs (S2 is Calico's)
    guard BirdToolTests.haveBird else { return }
    birdSamples = stride(from: 0, to: birdSamples.count, by: max(1, birdSamples.count / 60)).map { birdSamples[$0] }
    for sample in birdSamples {
        // The include names the device's file; every sample has its own folder.
        let include = sample.config.firstMatch(of: /include "([^"]+)";/).map { String($0.1) }
        var files = ["bird.conf": sample.config]
        if let include, let secrets = sample.secrets { files[include] = secrets }
        try withFiles(files) { dir in
            let (ok, output) = try BirdToolTests.parse(dir.appendingPathComponent("bird.conf"))
            #expect(ok, "bird -p rejects a config built from a mutant: \(output)\n\(sample.config)")
        }
    }
}
