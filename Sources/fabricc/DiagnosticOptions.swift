import ArgumentParser
import FabricBackends
import FabricDiagnostics
import FabricDriver
import Foundation

#if canImport(Glibc)
    import Glibc
#elseif canImport(Darwin)
    import Darwin
#endif

extension DiagnosticFormat: ExpressibleByArgument {}

enum ColorChoice: String, ExpressibleByArgument, CaseIterable {
    case auto, always, never
}

/// Options shared by every command that reports diagnostics.
struct DiagnosticOptions: ParsableArguments {
    @Option(
        name: .long,
        help:
            "How to print diagnostics: rich, short (file:line:col: …), json, sarif (SARIF 2.1.0) or github (Actions annotations)."
    )
    var diagnosticFormat: DiagnosticFormat = .rich

    @Flag(name: .long, help: "Treat warnings as errors.")
    var warningsAsErrors = false

    // Unconditional: `--error-limit -1` is a bad number, not a missing one.
    @Option(name: .long, parsing: .unconditional, help: "Stop printing after this many errors (0: print all).")
    var errorLimit: Int = 50

    @Option(name: .long, help: "Colour the rich format: auto (terminal and no NO_COLOR), always or never.")
    var color: ColorChoice = .auto

    @Option(name: .long, help: "Project root that includes may not leave (default: the entry file's directory).")
    var root: String?

    func validate() throws {
        guard errorLimit >= 0 else { throw ValidationError("--error-limit must be 0 or more") }
        if let root {
            var st = stat()
            guard stat(root, &st) == 0, (st.st_mode & S_IFMT) == S_IFDIR else {
                throw ValidationError("--root \(root): no such directory")
            }
        }
    }

    /// Every entry must lie inside `--root`: the headers and the manifest
    /// name files relative to it, so output never depends on where
    /// fabricc ran.
    func validate(entries: [String]) throws {
        guard let root else { return }
        let base = URL(fileURLWithPath: root).standardizedFileURL.path
        let real = URL(fileURLWithPath: root).resolvingSymlinksInPath().path
        for entry in entries {
            let url = URL(fileURLWithPath: entry).standardizedFileURL
            let lexical = url.path
            let resolved = url.resolvingSymlinksInPath().path
            let inside = [(lexical, base), (resolved, real)].contains { path, top in
                top == "/" || path.hasPrefix(top + "/")
            }
            if !inside { throw ValidationError("\(entry) is outside the project root \(root) (--root)") }
        }
    }

    var checkOptions: CheckOptions { CheckOptions(root: root, warningsAsErrors: warningsAsErrors) }

    var colors: Bool {
        switch color {
        case .always: return true
        case .never: return false
        case .auto:
            if let value = getenv("NO_COLOR"), value.pointee != 0 { return false }
            return isatty(STDERR_FILENO) != 0
        }
    }

    /// Prints the diagnostics: JSON, SARIF and GitHub commands to standard
    /// output (the command's result for tools), the human formats to
    /// standard error.
    /// `stdoutIsTaken`: the command prints its own result on standard output
    /// (`dump-ast`, `dump-ir`), so even JSON diagnostics go to standard error.
    func report(_ results: [CheckResult], stdoutIsTaken: Bool = false) {
        let text = Driver.render(
            results, format: diagnosticFormat, colors: diagnosticFormat == .rich && colors, errorLimit: errorLimit)
        guard !text.isEmpty else { return }
        if diagnosticFormat.isForMachines, !stdoutIsTaken {
            print(text, terminator: "")
        } else {
            writeToStandardError(text)
        }
    }
}

extension DiagnosticOptions {
    /// Prints diagnostics of files read outside a compilation (`fmt`).
    func report(_ list: [Diagnostic], sources: SourceMap) {
        let text = DiagnosticRenderer(
            format: diagnosticFormat, colors: diagnosticFormat == .rich && colors,
            toolVersion: FabricVersion.current, catalogue: .fabricc
        ).render(list, sources: sources)
        if diagnosticFormat.isForMachines { print(text, terminator: "") } else { writeToStandardError(text) }
    }
}

/// Writes straight to file descriptor 2 (the C `stderr` global is not
/// concurrency-safe in Swift 6).
func writeToStandardError(_ text: String) {
    var bytes = Array(text.utf8)[...]
    while !bytes.isEmpty {
        let written = bytes.withUnsafeBytes { write(STDERR_FILENO, $0.baseAddress, $0.count) }
        if written <= 0 { return }
        bytes = bytes.dropFirst(written)
    }
}
