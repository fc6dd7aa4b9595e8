import FabricDiagnostics
import FabricSyntax

/// Declared names per kind, with where they were declared and whether
/// anything refers to them.
struct SymbolTable {
    struct Entry {
        let span: Span
        /// Which instance declared it, to say which loop iteration made it
        /// when a duplicate turns up. Not the loop trace itself: the table
        /// would keep 100,000 traces alive inside the instances' memory,
        /// which then could not be reused once the instances are freed.
        let position: Position
    }

    /// An instance's place among the top-level declarations: `child` is -1
    /// for a top-level one, else its index among the root's children.
    struct Position {
        let root: Int32
        let child: Int32
    }

    let sources: SourceMap

    /// Kinds whose names share one fabric-wide table each.
    static let kinds = [
        "secret", "vlan", "network", "pool", "openstack", "cluster", "router", "reflector", "host", "namespace", "pod",
        "vm",
    ]

    var tables: [String: [String: Entry]] = [:]
    /// Whether some declaration did not make it into the table (declared
    /// twice, or a name refused); when not, none needs looking up before it
    /// is built.
    var hasDuplicates = false
    /// "kind/name" of referred-to declarations, for the "unused" warning:
    /// tracked for secrets, VLANs and clusters only, which generate nothing
    /// unless referred to.
    var used: Set<String> = []
    var suggestionsLeft = 50
    /// A name a loop declares or refers to wrongly is one mistake per
    /// iteration: each is built once, its repeats counted.
    var log = RepeatLog()
    var diagnostics: [Diagnostic] { log.diagnostics }

    /// Declares `name`; reports a duplicate and returns false if taken.
    /// `origins` gives the loop trace of the instance at a position.
    mutating func declare(
        _ kind: String, _ name: Located<String>, at position: Position, origins: (Position) -> LoopTrace?
    ) -> Bool {
        // One hash of each key on the common path (a fabric declares
        // 100,000 VMs); a duplicate puts the first entry back.
        if let first = tables[kind, default: [:]].updateValue(
            Entry(span: name.span, position: position), forKey: name.value)
        {
            tables[kind]?[name.value] = first
            hasDuplicates = true
            let sources = self.sources
            log.report(.duplicateName, at: name.span) {
                let origin = origins(position)
                var d = Diagnostic(.duplicateName, at: name.span, "\(kind) `\(name.value)` is declared twice")
                    .labelled("declared again here")
                    .label(first.span, "first declared here")
                if let origin { d = d.note("this one comes from \(origin.describe(sources))") }
                let firstOrigin = origins(first.position)
                if let o = firstOrigin, o != origin { d = d.note("the first comes from \(o.describe(sources))") }
                if origin != nil, origin == firstOrigin || firstOrigin != nil {
                    d = d.help(
                        "names a loop generates must differ in each iteration: put the loop variable in them, as in \"\(name.value)${i}\""
                    )
                }
                return d
            }
            return false
        }
        return true
    }

    func contains(_ kind: String, _ name: String) -> Bool { tables[kind]?[name] != nil }

    /// Resolves a reference to a declaration of `kind`; reports an undefined
    /// name (with a suggestion) or a name of another kind.
    /// `exclude`: names already in the same list, not worth suggesting.
    mutating func resolve(_ kind: String, _ name: Located<String>, from keyword: String, exclude: [String: Span] = [:])
        -> String?
    {
        if tables[kind]?[name.value] != nil {
            if kind == "secret" || kind == "vlan" || kind == "cluster" { used.insert(kind + "/" + name.value) }
            return name.value
        }
        let tables = self.tables
        if let (other, declared) = SymbolTable.kinds.lazy.compactMap({ k in
            k == kind ? nil : tables[k]?[name.value].map { (k, $0.span) }
        }).first {
            log.report(.wrongKind, at: name.span) {
                Diagnostic(.wrongKind, at: name.span, "`\(name.value)` is a \(other), not a \(kind)")
                    .labelled("`\(keyword)` expects a \(kind)")
                    .label(declared, "`\(name.value)` declared here")
            }
            return nil
        }
        // A repeat uses up a suggestion too, as when each was built.
        let table = tables[kind]
        let suggest = suggestionsLeft > 0 && table != nil
        if suggest { suggestionsLeft -= 1 }
        log.report(.undefinedName, at: name.span) {
            let d = Diagnostic(.undefinedName, at: name.span, "no \(kind) named `\(name.value)`")
            if suggest, let table,
                let near = Spelling.suggest(name.value, among: table.keys.filter { exclude[$0] == nil }),
                let entry = table[near]
            {
                return d.labelled("did you mean `\(near)`?").label(entry.span, "`\(near)` declared here")
            }
            return d.labelled("undefined \(kind)").help(
                (table?.isEmpty ?? true) ? "declare it: `\(kind) \(name.value) { … }`" : nil)
        }
        return nil
    }

    func isUsed(_ kind: String, _ name: String) -> Bool { used.contains(kind + "/" + name) }
}
