import FabricBackends
import FabricDiagnostics
import FabricDriver
import FabricSyntax
import FabricTestSupport
import Foundation

/// One directory under `Golden/` holding a `main.fab`, or, under
/// `Golden/examples/<name>/`, the expected outputs of `examples/<name>.fab`.
///
/// Cases under `build/` and `examples/` run `fabricc build` (their tree is
/// every generated file); the others run `fabricc check` (their tree is the
/// `dump-ast`). A case's `environment` file (`NAME=value` lines) is the
/// environment its secrets are read from; test values only, never real ones.
/// The files `--secrets DIR` would get are under `expected/secrets/`.
/// A case's `previous/` folder is the earlier build it runs with
/// (`--previous previous`). A build case's `args` file names the backends
/// it runs (`--backend bird --backend junos`), so a change to one backend
/// touches that backend's cases only; the examples run every backend.
struct GoldenCase: Sendable {
    let directory: URL
    let name: String
    /// The entry file: `main.fab` in the case, or the example.
    let entry: URL

    init(directory: URL, name: String, entry: URL? = nil) {
        self.directory = directory
        self.name = name
        self.entry = entry ?? directory.appendingPathComponent("main.fab")
    }

    var testDescription: String { name }

    var command: String { name.hasPrefix("build/") || name.hasPrefix("examples/") ? "build" : "check" }

    static let root = PackageRoot.url.appendingPathComponent("Golden")

    /// The shipped examples, each with its expected outputs.
    static func examples() -> [GoldenCase] {
        let dir = PackageRoot.url.appendingPathComponent("examples")
        let names = ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).filter {
            $0.hasSuffix(".fab")
        }.sorted()
        return names.map { file in
            let stem = String(file.dropLast(4))
            return GoldenCase(
                directory: root.appendingPathComponent("examples/\(stem)"), name: "examples/\(stem)",
                entry: dir.appendingPathComponent(file))
        }
    }

    static func named(_ name: String) -> GoldenCase {
        examples().first { $0.name == name } ?? GoldenCase(directory: root.appendingPathComponent(name), name: name)
    }

    /// The case's `environment` file as a map.
    var environment: [String: String] {
        guard let text = try? String(contentsOf: directory.appendingPathComponent("environment"), encoding: .utf8)
        else { return [:] }
        var out: [String: String] = [:]
        for line in text.split(separator: "\n") where !line.hasPrefix("#") {
            guard let eq = line.firstIndex(of: "=") else { continue }
            out[String(line[..<eq])] = String(line[line.index(after: eq)...])
        }
        return out
    }

    /// The backends named by the case's `args` file (`--backend NAME`,
    /// repeatable); empty (every backend) for the examples. A build case
    /// without one, anything else in the file, or an unknown backend is an
    /// error.
    func backends() throws -> [String] {
        let url = directory.appendingPathComponent("args")
        guard FileManager.default.fileExists(atPath: url.path) else {
            // A new backend must not add files to every build case.
            if name.hasPrefix("build/") {
                throw GoldenError("\(name): a build case needs an `args` file naming its backends (`--backend bird`)")
            }
            return []
        }
        let words = try String(contentsOf: url, encoding: .utf8).split(whereSeparator: \.isWhitespace).map(String.init)
        var backends: [String] = []
        var index = 0
        while index < words.count {
            guard words[index] == "--backend", index + 1 < words.count else {
                throw GoldenError("\(name)/args: only `--backend NAME` is understood, not `\(words[index])`")
            }
            let backend = words[index + 1]
            guard BackendRegistry.named(backend) != nil else {
                throw GoldenError(
                    "\(name)/args: no backend named `\(backend)`; backends: \(BackendRegistry.names.joined(separator: ", "))"
                )
            }
            backends.append(backend)
            index += 2
        }
        guard !backends.isEmpty else { throw GoldenError("\(name)/args: names no backend") }
        return backends
    }

    /// The `previous/` tree, when the case has one.
    var previous: [String: String]? {
        try? PreviousBuild.read(directory.appendingPathComponent("previous").path)
    }

    /// Every case, sorted by name, found by walking `Golden/`.
    static func all(under root: URL = root) -> [GoldenCase] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil) else { return [] }
        var cases: [GoldenCase] = []
        // Shallowest first, so a case is known before anything inside it.
        let urls = walker.compactMap { $0 as? URL }.sorted {
            ($0.pathComponents.count, $0.path) < ($1.pathComponents.count, $1.path)
        }
        for url in urls where url.lastPathComponent == "main.fab" {
            let dir = url.deletingLastPathComponent()
            // A `main.fab` inside a case (an included folder, expected/) is
            // part of that case, not a case of its own.
            if cases.contains(where: {
                dir.standardizedFileURL.path.hasPrefix($0.directory.standardizedFileURL.path + "/")
            }) {
                continue
            }
            let name = String(dir.standardizedFileURL.path.dropFirst(root.standardizedFileURL.path.count + 1))
            cases.append(GoldenCase(directory: dir, name: name))
        }
        return cases.sorted { $0.name < $1.name }
    }
}

/// Runs a case and compares what fabricc produces with what is committed:
/// - `diagnostics.txt`: the short and rich diagnostics (absent: none expected);
/// - `expected/`: the tree of outputs, byte for byte, no file missing or extra:
///   for `check` cases `ast.txt` (the `dump-ast` of a case without errors),
///   for `build` cases every file `fabricc build` writes.
///
/// With `update`, differing expected files are rewritten and the run still
/// fails, so a person reads every diff before it goes green.
enum GoldenRunner {
    static func actualOutputs(for c: GoldenCase) throws -> (
        diagnostics: String, tree: [String: String], lock: LockState?
    ) {
        let provider = DiskSourceProvider(workingDirectory: c.entry.deletingLastPathComponent().path)
        let entry = c.entry.lastPathComponent
        let result: CheckResult
        var tree: [String: String] = [:]
        let previous = c.command == "build" ? c.previous : nil
        let arguments = previous == nil ? entry : "\(entry) --previous previous"
        if c.command == "build" {
            // Secrets are read (from the case's test values) and their files
            // land under `secrets/`, as `--secrets DIR` would write them.
            let options = BuildOptions(
                backends: try c.backends(), environment: c.environment, writeSecrets: true, previous: previous ?? [:])
            let build = Driver.build(entry, options: options, provider: provider)
            result = build.asCheckResult
            for file in build.files { tree[file.path] = file.contents }
            for file in build.secretFiles { tree["secrets/" + file.path] = file.contents }
            // The lock a build writes beside the entry, when it changes it
            // (a case's input lock is its `main.fab.lock`).
            if let lock = build.lock, !lock.isCurrent, let text = lock.new, !c.name.hasPrefix("examples/") {
                tree[entry + ".lock"] = text
            }
        } else {
            result = Driver.check(entry, provider: provider)
            if !result.hasErrors {
                tree["ast.txt"] = ASTDump.render(result.program.files, sources: result.sources)
            }
        }
        var diagnostics = ""
        if !result.diagnostics.isEmpty {
            diagnostics =
                "$ fabricc \(c.command) --diagnostic-format short \(arguments)\n"
                + Driver.render([result], format: .short, colors: false, errorLimit: 50)
                + "\n$ fabricc \(c.command) \(arguments)\n"
                + Driver.render([result], format: .rich, colors: false, errorLimit: 50)
        }
        return (diagnostics, tree, result.lock)
    }

    /// Returns one message per mismatch; empty when the case passes.
    static func run(_ c: GoldenCase, update: Bool) -> [String] {
        let diagnostics: String
        let tree: [String: String]
        let lock: LockState?
        do {
            (diagnostics, tree, lock) = try actualOutputs(for: c)
        } catch {
            return ["\(error)"]
        }
        var failures: [String] = []
        let fm = FileManager.default

        // A shipped example's lock is committed beside it, and current: a
        // user who builds it changes nothing in the checkout.
        if c.name.hasPrefix("examples/"), let lock, !lock.isCurrent {
            if update, let text = lock.new {
                try? text.write(toFile: lock.path, atomically: true, encoding: .utf8)
                failures.append("\(c.name): rewrote \(lock.displayPath); review `git diff examples` and run again")
            } else {
                failures.append(
                    "\(c.name): examples/\(lock.displayPath) is out of date\n"
                        + unifiedDiff(lock.old ?? "", lock.new ?? "", label: "examples/\(lock.displayPath)"))
            }
        }

        let diagnosticsURL = c.directory.appendingPathComponent("diagnostics.txt")
        let expectedDiagnostics = (try? String(contentsOf: diagnosticsURL, encoding: .utf8)) ?? ""
        if expectedDiagnostics != diagnostics {
            if update {
                if diagnostics.isEmpty {
                    try? fm.removeItem(at: diagnosticsURL)
                } else {
                    try? diagnostics.write(to: diagnosticsURL, atomically: true, encoding: .utf8)
                }
                failures.append("\(c.name): rewrote diagnostics.txt; review `git diff Golden/\(c.name)` and run again")
            } else {
                failures.append(
                    "\(c.name): diagnostics differ\n"
                        + unifiedDiff(expectedDiagnostics, diagnostics, label: "Golden/\(c.name)/diagnostics.txt"))
            }
        }

        let expectedRoot = c.directory.appendingPathComponent("expected")
        let committed = files(under: expectedRoot)
        for path in Set(committed.keys).union(tree.keys).sorted() {
            let want = committed[path]
            let got = tree[path]
            guard want != got else { continue }
            let url = expectedRoot.appendingPathComponent(path)
            if update {
                if let got {
                    try? fm.createDirectory(at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try? got.write(to: url, atomically: true, encoding: .utf8)
                } else {
                    try? fm.removeItem(at: url)
                }
                failures.append("\(c.name): rewrote expected/\(path); review `git diff Golden/\(c.name)` and run again")
            } else if want == nil {
                failures.append("\(c.name): fabricc produced expected/\(path), which is not committed")
            } else if got == nil {
                failures.append("\(c.name): expected/\(path) is committed but fabricc no longer produces it")
            } else {
                failures.append(
                    "\(c.name): expected/\(path) differs\n"
                        + unifiedDiff(want!, got!, label: "Golden/\(c.name)/expected/\(path)"))
            }
        }
        if update, committed.isEmpty == false, tree.isEmpty { try? fm.removeItem(at: expectedRoot) }
        if !failures.isEmpty, !update {
            failures.append(
                "to accept the new output: FABRICC_UPDATE_GOLDEN=1 swift test --filter GoldenTests, then read the diff")
        }
        return failures
    }

    /// Every regular file below `root`, keyed by relative path.
    static func files(under root: URL) -> [String: String] {
        guard let walker = FileManager.default.enumerator(at: root, includingPropertiesForKeys: [.isRegularFileKey])
        else { return [:] }
        var out: [String: String] = [:]
        let prefix = root.standardizedFileURL.path.count + 1
        for case let url as URL in walker
        where (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true {
            out[String(url.standardizedFileURL.path.dropFirst(prefix))] =
                (try? String(contentsOf: url, encoding: .utf8)) ?? ""
        }
        return out
    }

    /// A unified diff from `diff -u`, which every Debian system has.
    static func unifiedDiff(_ expected: String, _ actual: String, label: String) -> String {
        let dir = FileManager.default.temporaryDirectory.appendingPathComponent("fabricc-diff-\(UUID().uuidString)")
        defer { try? FileManager.default.removeItem(at: dir) }
        try? FileManager.default.createDirectory(at: dir, withIntermediateDirectories: true)
        let a = dir.appendingPathComponent("expected")
        let b = dir.appendingPathComponent("actual")
        try? expected.write(to: a, atomically: true, encoding: .utf8)
        try? actual.write(to: b, atomically: true, encoding: .utf8)
        let process = Process()
        process.executableURL = URL(fileURLWithPath: "/usr/bin/diff")
        process.arguments = ["-u", "--label", label + " (expected)", "--label", label + " (actual)", a.path, b.path]
        let pipe = Pipe()
        process.standardOutput = pipe
        guard (try? process.run()) != nil else { return "--- expected\n\(expected)\n+++ actual\n\(actual)" }
        let data = pipe.fileHandleForReading.readDataToEndOfFile()
        process.waitUntilExit()
        return String(decoding: data, as: UTF8.self)
    }
}

struct GoldenError: Error, CustomStringConvertible {
    let description: String
    init(_ description: String) { self.description = description }
}
