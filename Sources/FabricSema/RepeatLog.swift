import FabricDiagnostics

/// Diagnostics kept once per code and place, with how often each recurs.
/// Building a diagnostic per loop iteration only for the driver to merge
/// them (Driver.collapseRepeats) costs seconds and hundreds of megabytes
/// for a mistake inside a loop of millions of iterations.
struct RepeatLog {
    struct Key: Hashable {
        let code: DiagnosticCode
        let span: Span
    }

    private var kept: [Diagnostic] = []
    private var repeats: [Int] = []
    private var index: [Key: Int] = [:]
    /// While a loop iteration is watched (nested watches share it): each
    /// repeat counted, as (index, times).
    private var journal: [(index: Int, times: Int)] = []
    private var watches: [(journalStart: Int, kept: Int)] = []
    /// The last key reported and its index: a loop repeats one mistake
    /// many times in a row, and comparing is cheaper than hashing.
    private var last: (key: Key, index: Int)?

    /// Keeps what `make` builds the first time `code` fails at `span`; a
    /// repeat is only counted, and `make` does not run.
    mutating func report(_ code: DiagnosticCode, at span: Span, _ make: () -> Diagnostic) {
        let key = Key(code: code, span: span)
        if let last, last.key == key {
            count(last.index, 1)
            return
        }
        if let k = index[key] {
            count(k, 1)
            last = (key, k)
            return
        }
        index[key] = kept.count
        last = (key, kept.count)
        kept.append(make())
        repeats.append(0)
    }

    private mutating func count(_ k: Int, _ times: Int) {
        repeats[k] += times
        guard let watch = watches.last else { return }
        // One mistake repeated in a row is one entry (never merged with an
        // entry from before the innermost watch began).
        if journal.count > watch.journalStart, journal[journal.count - 1].index == k {
            journal[journal.count - 1].times += times
        } else {
            journal.append((k, times))
        }
    }

    mutating func startWatch() {
        watches.append((journal.count, kept.count))
    }

    /// The repeats counted since the matching ``startWatch()``; nil when a
    /// new diagnostic was reported meanwhile.
    mutating func endWatch() -> [(index: Int, times: Int)]? {
        let watch = watches.removeLast()
        let events = Array(journal[watch.journalStart...])
        if watches.isEmpty { journal.removeAll(keepingCapacity: true) }
        return kept.count == watch.kept ? events : nil
    }

    /// Counts `events` (from ``endWatch()``) `times` more times.
    mutating func repeatEvents(_ events: [(index: Int, times: Int)], times: Int) {
        for e in events { count(e.index, e.times * times) }
    }

    /// Each diagnostic once, with the note Driver.collapseRepeats would add
    /// (the same words, so the output does not change).
    var diagnostics: [Diagnostic] {
        zip(kept, repeats).map { d, n in
            n == 0
                ? d
                : d.note(
                    "reported once: the same check fails \(n) more time\(n == 1 ? "" : "s") at this place (a loop, or one setting shared by several)"
                )
        }
    }
}
