import FabricBackends
import FabricBase
import FabricDiagnostics
import FabricDriver
import FabricSema
import FabricSyntax
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// What one fuzz input goes through: the whole `build` (load, parse,
/// structure, expansion, IR, every check, secrets, every backend), the
/// output writer on a temporary folder, every diagnostic format, the IR as
/// JSON, the syntax tree dump and the formatter. Any crash, trap or
/// sanitizer report is a finding; diagnostics are the expected outcome.
enum FuzzTarget {
    /// Where builds are written: a folder of this process's own on a tmpfs
    /// when there is one (no disk writes, no real fsync), removed at exit.
    nonisolated(unsafe) static var scratch: String?
    /// The output writer runs on one clean build in this many (1: every
    /// one), chosen by the input's bytes (`FABRICC_FUZZ_WRITE_EVERY`).
    nonisolated(unsafe) static var writeEvery = 1
    /// Inputs run, and how many of them built without errors.
    nonisolated(unsafe) static var inputs = 0
    nonisolated(unsafe) static var cleanBuilds = 0
    /// `FABRICC_FUZZ_PROFILE=1`: seconds spent per stage, printed at exit.
    nonisolated(unsafe) static var profile: [String: Double]? = nil

    static func timed<T>(_ stage: String, _ body: () throws -> T) rethrows -> T {
        guard profile != nil else { return try body() }
        let start = DispatchTime.now().uptimeNanoseconds
        defer { profile![stage, default: 0] += Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9 }
        return try body()
    }

    static func run(_ bytes: [UInt8]) {
        inputs += 1
        let input = FuzzInput(bytes)
        var files = input.files
        // Secrets read (`--secrets DIR`): the values reach the backends.
        var options = BuildOptions(
            check: CheckOptions(warningsAsErrors: input.warningsAsErrors),
            environment: input.environment, writeSecrets: true, previous: input.previous,
            allowBreaking: input.allowBreaking)
        var result = timed("build") {
            Driver.build(
                FuzzInput.entry, options: options,
                provider: MemorySourceProvider(bytes: files, workingDirectory: FuzzInput.directory))
        }
        // Secrets the input names but gives no value: set them to a fake one
        // and build again, so the backends run rather than stop at
        // "environment variable … is not set".
        if let ir = result.check.ir, !ir.secrets.isEmpty {
            var added = false
            let loaded = result.check.sources.files.map {
                Paths.directory(of: Paths.join(FuzzInput.directory, $0.displayPath))
            }
            for secret in ir.secrets {
                switch secret.source {
                case .environment(let name) where options.environment[name] == nil:
                    options.environment[name] = FuzzInput.fakeSecret
                    added = true
                case .file(let path):
                    for directory in loaded where files[Paths.join(directory, path)] == nil {
                        files[Paths.join(directory, path)] = Array((FuzzInput.fakeSecret + "\n").utf8)
                        added = true
                    }
                default: break
                }
            }
            if added {
                result = timed("build again with secrets") {
                    Driver.build(
                        FuzzInput.entry, options: options,
                        provider: MemorySourceProvider(bytes: files, workingDirectory: FuzzInput.directory))
                }
            }
        }

        let check = result.asCheckResult
        // SARIF carries the whole rule catalogue through JSONSerialization:
        // a constant ~40 ms under ASan, over 90% of an input's time. It
        // runs on one input in 32, chosen by the bytes so a crash replays.
        let sarif = FuzzSeeds.stableHash(bytes) % 32 == 0
        for format in DiagnosticFormat.allCases where format != .sarif || sarif {
            timed("render \(format)") {
                _ = Driver.render([check], format: format, colors: format == .rich, errorLimit: 0)
            }
        }
        timed("render short, limit 1") { _ = Driver.render([check], format: .short, colors: false, errorLimit: 1) }
        if let ir = result.check.ir { timed("IR JSON") { _ = ir.json(sources: result.check.sources) } }
        timed("AST dump") { _ = ASTDump.render(result.check.program.files, sources: result.check.sources) }
        timed("fmt") { for file in result.check.sources.files { _ = FabricSyntax.Formatter.format(file) } }
        // The language server on one input in four (it checks the entry again).
        if FuzzSeeds.stableHash(bytes) % 4 == 1 {
            timed("language server") {
                FuzzLanguageServer.run(bytes, entry: files[FuzzInput.directory + "/" + FuzzInput.entry] ?? [])
            }
        }

        guard !result.hasErrors else { return }
        cleanBuilds += 1
        let hash = FuzzSeeds.stableHash(bytes)
        guard hash % UInt64(writeEvery) == 0 else { return }
        // First the build of one backend alone (chosen by the bytes), then
        // the whole build over it: the writer adds the other backends'
        // files and carries the first one's over; then the whole build
        // again, which must change nothing. The one-backend build reads no
        // secret (committed files only name them).
        let names = BackendRegistry.names
        options.backends = [names[Int(hash / 64 % UInt64(names.count))]]
        options.writeSecrets = false
        let single = timed("build one backend") {
            Driver.build(
                FuzzInput.entry, options: options,
                provider: MemorySourceProvider(bytes: files, workingDirectory: FuzzInput.directory))
        }
        precondition(!single.hasErrors, "fuzz: a build without errors has errors with backends \(options.backends)")
        timed("OutputWriter") {
            write([single.plan, result.plan, result.plan], secrets: result.secretFiles, of: result.backends)
        }
    }

    /// Writes the plans one after the other into a fresh folder, and the
    /// secret files beside it, then removes both. The last write must
    /// change nothing (it repeats the one before), and a clean build the
    /// writers refuse on an empty tmpfs folder is a finding.
    static func write(_ plans: [OutputWriter.Plan], secrets: [GeneratedFile], of backends: Set<String>) {
        let base = scratchFolder()
        let out = base + "/out"
        do {
            for (n, plan) in plans.enumerated() {
                let written = try OutputWriter.write(plan, to: out)
                precondition(
                    n < 2 || written.changes.isEmpty,
                    "fuzz: writing the same build twice changed \(written.changes.map(\.path))")
            }
            // The secrets folder, written twice: the second time changes nothing.
            try SecretWriter.write(secrets, backends: backends, to: base + "/secrets")
            let again = try SecretWriter.write(secrets, backends: backends, to: base + "/secrets")
            precondition(again == 0, "fuzz: writing the same secrets twice changed \(again) files")
        } catch {
            fatalError("fuzz: OutputWriter refused a clean build: \(error)")
        }
        for name in (try? FileManager.default.contentsOfDirectory(atPath: base)) ?? [] {
            try? FileManager.default.removeItem(atPath: base + "/" + name)
        }
    }

    static func scratchFolder() -> String {
        if let scratch { return scratch }
        let parent =
            FileManager.default.fileExists(atPath: "/dev/shm")
            ? "/dev/shm"
            : (ProcessInfo.processInfo.environment["TMPDIR"] ?? "/tmp")
        // A run that crashed or timed out could not remove its folder: remove
        // those whose process is gone.
        for name in (try? FileManager.default.contentsOfDirectory(atPath: parent)) ?? []
        where name.hasPrefix("fabricc-fuzz-") {
            let fields = name.split(separator: "-")
            if fields.count == 4, let pid = pid_t(fields[2]), kill(pid, 0) != 0, errno == ESRCH {
                try? FileManager.default.removeItem(atPath: parent + "/" + name)
            }
        }
        var template = Array("\(parent)/fabricc-fuzz-\(getpid())-XXXXXX".utf8CString)
        guard let made = mkdtemp(&template) else { fatalError("fuzz: cannot create a folder in \(parent)") }
        let path = String(cString: made)
        scratch = path
        atexit {
            if let scratch = FuzzTarget.scratch { try? FileManager.default.removeItem(atPath: scratch) }
        }
        return path
    }
}
