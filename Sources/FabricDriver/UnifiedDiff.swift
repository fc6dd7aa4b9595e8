/// A unified diff of two texts (`diff -u` layout, three lines of context),
/// for `fabricc build --check --diff`.
public enum UnifiedDiff {
    public static func render(old: String?, new: String?, oldLabel: String, newLabel: String, context: Int = 3)
        -> String
    {
        let a = lines(old ?? "")
        let b = lines(new ?? "")
        // A text whose last line has no line break says so, as diff -u does.
        let noNewline = "\\ No newline at end of file\n"
        let oldOpen = !(old ?? "").isEmpty && !(old ?? "").hasSuffix("\n")
        let newOpen = !(new ?? "").isEmpty && !(new ?? "").hasSuffix("\n")
        // Each line of either side, in order: kept, removed or added.
        enum Edit {
            case keep(Int, Int)
            case remove(Int)
            case insert(Int)
        }
        let difference = b.difference(from: a).inferringMoves()
        var removed = Set<Int>()
        var inserted = Set<Int>()
        for change in difference {
            switch change {
            case .remove(let offset, _, _): removed.insert(offset)
            case .insert(let offset, _, _): inserted.insert(offset)
            }
        }
        var edits: [Edit] = []
        var i = 0
        var j = 0
        while i < a.count || j < b.count {
            if i < a.count, removed.contains(i) {
                edits.append(.remove(i))
                i += 1
            } else if j < b.count, inserted.contains(j) {
                edits.append(.insert(j))
                j += 1
            } else if i < a.count, j < b.count {
                edits.append(.keep(i, j))
                i += 1
                j += 1
            } else if i < a.count {
                edits.append(.remove(i))
                i += 1
            } else {
                edits.append(.insert(j))
                j += 1
            }
        }
        var changed = edits.indices.filter { if case .keep = edits[$0] { return false } else { return true } }
        if changed.isEmpty, (old ?? "") != (new ?? ""), let last = edits.indices.last,
            case .keep(let x, let y) = edits[last]
        {
            // Only the final line break differs: that line changes.
            edits[last] = .remove(x)
            edits.append(.insert(y))
            changed = [last, last + 1]
        }
        guard !changed.isEmpty else { return "" }
        var out = "--- \(old == nil ? "/dev/null" : oldLabel)\n+++ \(new == nil ? "/dev/null" : newLabel)\n"
        // Hunks: changed edits with their context, merged when they touch.
        var hunks: [ClosedRange<Int>] = []
        for index in changed {
            let range = max(0, index - context)...min(edits.count - 1, index + context)
            if let last = hunks.last, range.lowerBound <= last.upperBound + 1 {
                hunks[hunks.count - 1] = last.lowerBound...max(last.upperBound, range.upperBound)
            } else {
                hunks.append(range)
            }
        }
        for hunk in hunks {
            var oldStart = 0
            var newStart = 0
            var oldCount = 0
            var newCount = 0
            var body = ""
            for (n, edit) in edits[hunk].enumerated() {
                switch edit {
                case .keep(let x, let y):
                    if n == 0 {
                        oldStart = x
                        newStart = y
                    }
                    oldCount += 1
                    newCount += 1
                    body += " " + a[x] + "\n" + (x == a.count - 1 && oldOpen ? noNewline : "")
                case .remove(let x):
                    if n == 0 {
                        oldStart = x
                        newStart = position(in: edits, before: hunk.lowerBound)
                    }
                    oldCount += 1
                    body += "-" + a[x] + "\n" + (x == a.count - 1 && oldOpen ? noNewline : "")
                case .insert(let y):
                    if n == 0 {
                        newStart = y
                        oldStart = oldPosition(in: edits, before: hunk.lowerBound)
                    }
                    newCount += 1
                    body += "+" + b[y] + "\n" + (y == b.count - 1 && newOpen ? noNewline : "")
                }
            }
            func range(_ start: Int, _ count: Int) -> String {
                count == 0 ? "\(start),0" : count == 1 ? "\(start + 1)" : "\(start + 1),\(count)"
            }
            out += "@@ -\(range(oldStart, oldCount)) +\(range(newStart, newCount)) @@\n" + body
        }
        return out

        /// The new side's line number where a hunk starting at `index` begins.
        func position(in edits: [Edit], before index: Int) -> Int {
            edits[..<index].reduce(0) { n, e in if case .remove = e { return n } else { return n + 1 } }
        }
        func oldPosition(in edits: [Edit], before index: Int) -> Int {
            edits[..<index].reduce(0) { n, e in if case .insert = e { return n } else { return n + 1 } }
        }
    }

    static func lines(_ text: String) -> [String] {
        var lines = text.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
        if lines.last == "" { lines.removeLast() }
        return lines
    }
}
