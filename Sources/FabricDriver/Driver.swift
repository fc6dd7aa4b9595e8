import FabricBackends
import FabricDiagnostics
import FabricSema
import FabricSyntax

/// The outcome of checking one entry file.
public struct CheckResult: Sendable {
    public let program: ParsedProgram
    /// The checked model; nil when the intent has errors.
    public let ir: FabricIR?
    /// Sorted by position; never depends on the order checks ran in.
    public let diagnostics: [Diagnostic]

    /// The allocation lock and what a build would make of it; nil when the
    /// intent has errors (nothing is allocated then).
    public let lock: LockState?
    /// The lock among ``sources``, when there is one.
    public let lockFile: FileID?

    public var sources: SourceMap { program.sources }
    public var hasErrors: Bool { diagnostics.contains { $0.severity == .error } }
}

/// The compiler pipeline, shared by the CLI and the tests.
public enum Driver {
    /// Loads `entry` with its includes, parses and checks it, including what
    /// every backend's target cannot carry.
    public static func check(
        _ entry: String, options: CheckOptions = CheckOptions(), provider: any SourceProvider = DiskSourceProvider()
    ) -> CheckResult {
        check(entry, options: options, backends: BackendRegistry.all, provider: provider)
    }

    static func check(_ entry: String, options: CheckOptions, backends: [any Backend], provider: any SourceProvider)
        -> CheckResult
    {
        // The allocation lock is read on another core while the intent
        // loads and its loops expand; it is first needed to allocate.
        let pending = LockFile.Pending(entry: entry, provider: provider, background: true)
        var (program, loadDiagnostics) = ProgramLoader.load(entry: entry, root: options.root, provider: provider)
        // The structure check runs on the recovered tree even after syntax
        // errors: malformed pieces are `.invalid` nodes it passes over, so
        // one run reports every independent mistake. On a tree that parsed,
        // loops are expanded meanwhile on another core (the expansion needs
        // no checked structure, and is dropped if the check fails).
        let (structure, expansion) = StructureAndExpansion.run(
            program, expand: !loadDiagnostics.contains { $0.severity == .error })
        let lock = pending.attach(to: &program.sources)
        var diagnostics = loadDiagnostics + structure
        var ir: FabricIR?
        var next: AllocationLock?
        // Semantics need a tree without holes: an intent with syntax or
        // structure errors is not evaluated, so nothing cascades from them.
        if !diagnostics.contains(where: { $0.severity == .error }), expansion != nil {
            // Handed over, not copied: the builder frees instances as it goes.
            let semantic = SemanticAnalysis.run(
                program, expanded: (consume expansion)!, lock: lock.diagnostics.isEmpty ? lock.lock : nil,
                entry: entry)
            // An unreadable lock line is an error, but not one that hides
            // the intent's own: it only stopped allocation.
            diagnostics += semantic.diagnostics + lock.diagnostics
            ir = semantic.ir
            next = semantic.lock
            // Targets judge only a model without errors, so their findings
            // never stem from a mistake already reported.
            if let model = ir, !diagnostics.contains(where: { $0.severity == .error }) {
                for backend in backends { diagnostics += backend.validate(model) }
            }
        } else {
            diagnostics += lock.diagnostics
        }
        diagnostics = collapseRepeats(diagnostics)
        if options.warningsAsErrors {
            diagnostics = diagnostics.map {
                $0.severity == .warning ? $0.severity(.error).note("reported as an error by --warnings-as-errors") : $0
            }
        }
        let failed = diagnostics.contains { $0.severity == .error }
        let state =
            failed
            ? nil
            : next.map {
                LockState(
                    path: lock.path, displayPath: lock.displayPath, old: lock.old,
                    new: LockFile.text($0, read: lock, entry: entry))
            }
        return CheckResult(
            program: program, ir: failed ? nil : ir, diagnostics: diagnostics.sortedForOutput(), lock: state,
            lockFile: lock.file)
    }

    /// A mistake inside a loop body is found once per iteration (and one
    /// setting can fail for several sessions); report it once, saying how
    /// often it recurs.
    static func collapseRepeats(_ diagnostics: [Diagnostic]) -> [Diagnostic] {
        var firstIndex: [String: Int] = [:]
        var repeats: [Int] = []
        var kept: [Diagnostic] = []
        for d in diagnostics {
            let key = "\(d.code.id)/\(d.primary.span.file.raw)/\(d.primary.span.start)/\(d.primary.span.end)"
            if let k = firstIndex[key] {
                repeats[k] += 1
            } else {
                firstIndex[key] = kept.count
                kept.append(d)
                repeats.append(0)
            }
        }
        return zip(kept, repeats).map { d, n in
            n == 0
                ? d
                : d.note(
                    "reported once: the same check fails \(n) more time\(n == 1 ? "" : "s") at this place (a loop, or one setting shared by several)"
                )
        }
    }

    /// Renders the diagnostics of several checks as one output; the error
    /// limit counts across all of them.
    public static func render(_ results: [CheckResult], format: DiagnosticFormat, colors: Bool, errorLimit: Int)
        -> String
    {
        var batches: [DiagnosticBatch] = []
        var shownErrors = 0
        var omitted = 0
        for result in results {
            var shown: [Diagnostic] = []
            for d in result.diagnostics {
                if errorLimit > 0, shownErrors >= errorLimit {
                    if d.severity == .error { omitted += 1 }
                    continue
                }
                if d.severity == .error { shownErrors += 1 }
                shown.append(d)
            }
            batches.append(DiagnosticBatch(diagnostics: shown, sources: result.sources))
        }
        return DiagnosticRenderer(
            format: format, colors: colors, toolVersion: FabricVersion.current, catalogue: .fabricc
        ).render(batches, omittedErrors: omitted)
    }
}
