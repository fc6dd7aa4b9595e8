import FabricBase
import FabricDiagnostics
import Foundation
import Testing

@testable import FabricSyntax

@Suite struct IncludeTests {
    func load(_ files: [String: String], entry: String = "main.fab", root: String? = nil) -> (
        ParsedProgram, [Diagnostic]
    ) {
        let provider = MemorySourceProvider(
            files: files.reduce(into: [:]) { $0["/p/" + $1.key] = $1.value }, workingDirectory: "/p")
        return ProgramLoader.load(entry: entry, root: root, provider: provider)
    }

    @Test func includesAreRelativeToTheIncludingFile() {
        let (program, diagnostics) = load([
            "main.fab": "include \"dc1/hosts.fab\"\npool a { }",
            "dc1/hosts.fab": "include \"more/vms.fab\"\nhost h { }",
            "dc1/more/vms.fab": "host g { }",
        ])
        #expect(diagnostics.isEmpty)
        #expect(
            program.files.map { program.sources[$0.file].displayPath } == [
                "main.fab", "dc1/hosts.fab", "dc1/more/vms.fab",
            ])
        #expect(
            program.sources.includeChain(of: program.files[2].file).map(\.file) == [
                program.files[1].file, program.files[0].file,
            ])
    }

    @Test func missingFile() {
        let (_, diagnostics) = load(["main.fab": "include \"nope.fab\""])
        #expect(codes(diagnostics) == ["FAB1030"])
        #expect(diagnostics[0].message == "included file `nope.fab` not found")
    }

    @Test func cycleIsReportedOnceWithTheChain() {
        let (program, diagnostics) = load([
            "main.fab": "include \"a.fab\"",
            "a.fab": "include \"b.fab\"",
            "b.fab": "include \"a.fab\"",
        ])
        #expect(codes(diagnostics) == ["FAB1031"])
        #expect(diagnostics[0].notes == ["cycle: `a.fab` → `b.fab` → `a.fab`"])
        #expect(program.sources[diagnostics[0].primary.span.file].displayPath == "b.fab")
    }

    @Test func selfInclude() {
        let (_, diagnostics) = load(["main.fab": "include \"main.fab\""])
        #expect(codes(diagnostics) == ["FAB1031"])
    }

    @Test func repeatedIncludeIsAWarningAndMergedOnce() {
        let (program, diagnostics) = load([
            "main.fab": "include \"a.fab\"\ninclude \"./a.fab\"",
            "a.fab": "host a { }",
        ])
        #expect(codes(diagnostics) == ["FAB1035"])
        #expect(diagnostics[0].severity == .warning)
        #expect(program.files.count == 2)
    }

    @Test func escapingTheRootIsRefused() {
        let (_, diagnostics) = load(
            [
                "site/main.fab": "include \"../secret.fab\"\ninclude \"/p/secret.fab\"",
                "secret.fab": "host a { }",
            ], entry: "site/main.fab")
        #expect(codes(diagnostics) == ["FAB1032", "FAB1032"])
        // A wider root lets the same include through.
        let (_, widened) = load(
            [
                "site/main.fab": "include \"../secret.fab\"",
                "secret.fab": "host a { }",
            ], entry: "site/main.fab", root: ".")
        #expect(widened.isEmpty)
    }

    @Test func symlinkOutOfTheRootIsRefusedOnDisk() throws {
        let fm = FileManager.default
        let base = fm.temporaryDirectory.appendingPathComponent("fabricc-include-\(UUID().uuidString)")
        defer { try? fm.removeItem(at: base) }
        let project = base.appendingPathComponent("project")
        try fm.createDirectory(at: project, withIntermediateDirectories: true)
        try "host a { }".write(to: base.appendingPathComponent("outside.fab"), atomically: true, encoding: .utf8)
        try fm.createSymbolicLink(
            at: project.appendingPathComponent("link.fab"),
            withDestinationURL: base.appendingPathComponent("outside.fab"))
        try "include \"link.fab\"".write(
            to: project.appendingPathComponent("main.fab"), atomically: true, encoding: .utf8)
        let (_, diagnostics) = ProgramLoader.load(
            entry: project.appendingPathComponent("main.fab").path, provider: DiskSourceProvider())
        #expect(codes(diagnostics) == ["FAB1032"])
    }

    /// Files are read whole, straight into their bytes: empty, one byte,
    /// exactly a page, and larger than the first read.
    @Test func filesAreReadWhole() throws {
        let fm = FileManager.default
        let base = fm.temporaryDirectory.appendingPathComponent("fabricc-read-\(UUID().uuidString)")
        try fm.createDirectory(at: base, withIntermediateDirectories: true)
        defer { try? fm.removeItem(at: base) }
        for size in [0, 1, 4095, 4096, 4097, 1_000_003] {
            let bytes = (0..<size).map { UInt8(truncatingIfNeeded: $0 &* 31 &+ 7) }
            let file = base.appendingPathComponent("f\(size)")
            try Data(bytes).write(to: file)
            guard case .success(let read) = DiskSourceProvider().read(file.path) else {
                Issue.record("\(size) bytes: not read")
                continue
            }
            #expect(read == bytes, "\(size) bytes")
        }
        guard case .failure(let error) = DiskSourceProvider().read(base.path) else {
            Issue.record("a directory was read")
            return
        }
        #expect(error.description == "is a directory")
    }

    @Test func unreadableEntry() {
        let (program, diagnostics) = load([:], entry: "nothing.fab")
        #expect(codes(diagnostics) == ["FAB0001"])
        #expect(program.sources[diagnostics[0].primary.span.file].displayPath == "nothing.fab")
    }

    @Test func pathsNormalize() {
        #expect(Paths.normalize("a/./b/../c") == "a/c")
        #expect(Paths.normalize("../a") == "../a")
        #expect(Paths.normalize("/../a") == "/a")
        #expect(Paths.join("dc1", "../x.fab") == "x.fab")
        #expect(Paths.directory(of: "x.fab") == ".")
    }
}
