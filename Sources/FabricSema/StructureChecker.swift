import FabricDiagnostics
import FabricSyntax

/// Checks a parsed program against the ``LanguageSchema``: every keyword is
/// known where it stands, declarations are named as they must be,
/// attributes have the right number of values and are not set twice.
///
/// This is the first semantic pass; it needs no evaluation, so it runs on
/// the syntax tree as written (loop bodies are checked once, as written).
public struct StructureChecker {
    var diagnostics: [Diagnostic] = []
    /// Inside a block whose `}` is missing, nesting is an artifact of the
    /// missing brace (already reported), so placement is not judged there.
    var insideUnclosedBlock = false

    public static func check(_ program: ParsedProgram) -> [Diagnostic] {
        var checker = StructureChecker()
        var topSingletons: [String: Span] = [:]
        for file in program.files {
            checker.check(file.items, in: nil, singletons: &topSingletons)
        }
        return checker.diagnostics
    }

    mutating func check(_ items: [Item], in parent: BlockSpec?, singletons: inout [String: Span]) {
        var seenAttributes = SeenAttributes()
        check(items, in: parent, singletons: &singletons, seenAttributes: &seenAttributes)
    }

    /// Loop bodies share the enclosing block's bookkeeping: a loop is not a scope.
    mutating func check(
        _ items: [Item], in parent: BlockSpec?, singletons: inout [String: Span], seenAttributes: inout SeenAttributes
    ) {
        for item in items {
            switch item {
            case .include:
                break
            case .forLoop(let loop):
                check(loop.body, in: parent, singletons: &singletons, seenAttributes: &seenAttributes)
            case .block(let block):
                checkBlock(block, in: parent, singletons: &singletons)
            case .attribute(let attribute):
                checkAttribute(attribute, in: parent, seen: &seenAttributes)
            }
        }
    }

    func place(_ parent: BlockSpec?) -> String {
        parent.map { "inside `\($0.keyword)`" } ?? "at the top level"
    }

    func allowedBlocks(in parent: BlockSpec?) -> [BlockSpec] { LanguageSchema.blocks(in: parent?.keyword) }

    mutating func checkBlock(_ block: Block, in parent: BlockSpec?, singletons: inout [String: Span]) {
        let name = block.keyword.name
        guard let spec = LanguageSchema.block(name) else {
            if let attribute = parent?.attribute(name) {
                diagnostics.append(
                    Diagnostic(.bodyNotAllowed, at: block.openBrace, "`\(name)` takes a value, not a block")
                        .labelled("unexpected block")
                        .help("write `\(name) \(Self.example(attribute.type));`"))
            } else {
                unknown(block.keyword, in: parent)
            }
            return
        }
        if !spec.parents.contains(parent?.keyword), !insideUnclosedBlock {
            let homes = spec.parents.map { $0.map { "`\($0)`" } ?? "the top level" }
            diagnostics.append(
                Diagnostic(.misplacedBlock, at: block.keyword.span, "`\(name)` is not allowed \(place(parent))")
                    .labelled("misplaced `\(name)`")
                    .note(
                        "`\(name)` belongs \(spec.parents == [nil] ? "at the top level" : "inside " + homes.joined(separator: " or "))"
                    ))
        } else if spec.singleton {
            if let first = singletons[name] {
                diagnostics.append(
                    Diagnostic(
                        .duplicateSingleton, at: block.keyword.span, "`\(name)` appears more than once \(place(parent))"
                    )
                    .labelled("second `\(name)`")
                    .label(first, "first `\(name)` here")
                    .help("merge the two blocks"))
            } else {
                singletons[name] = block.keyword.span
            }
        }
        checkNaming(block, spec)
        var nested: [String: Span] = [:]
        let wasUnclosed = insideUnclosedBlock
        insideUnclosedBlock = wasUnclosed || block.closeBrace == nil
        check(block.body, in: spec, singletons: &nested)
        insideUnclosedBlock = wasUnclosed
    }

    mutating func checkNaming(_ block: Block, _ spec: BlockSpec) {
        let name = block.keyword.name
        switch spec.naming {
        case .required where block.labels.isEmpty:
            diagnostics.append(
                Diagnostic(.nameRequired, at: block.keyword.span, "`\(name)` needs a name")
                    .labelled("no name given")
                    .help("write `\(name) NAME { … }`"))
        case .required, .optional:
            if block.labels.count > 1 {
                diagnostics.append(
                    Diagnostic(
                        .nameRequired, at: block.labels[1].span, "`\(name)` takes one name, found \(block.labels.count)"
                    )
                    .labelled("extra name")
                    .help("names with spaces or other characters must be one string: \"…\""))
            } else if let label = block.labels.first {
                checkLabel(label, of: name)
            }
        case .none:
            if let label = block.labels.first {
                diagnostics.append(
                    Diagnostic(.nameRequired, at: label.span, "`\(name)` takes no name")
                        .labelled("unexpected name")
                        .help("write `\(name) { … }`"))
            }
        }
    }

    /// A name is a bare name or a string, possibly interpolated.
    mutating func checkLabel(_ label: Expression, of keyword: String) {
        switch label.kind {
        case .name(let n) where LanguageSchema.reservedWords.contains(n):
            diagnostics.append(
                Diagnostic(.nameRequired, at: label.span, "`\(n)` is a reserved word and cannot name a `\(keyword)`")
                    .labelled("reserved")
                    .help("quote it if you must: `\(keyword) \"\(n)\" { … }`"))
        case .name, .string, .invalid: break
        default:
            diagnostics.append(
                Diagnostic(.nameRequired, at: label.span, "the name of a `\(keyword)` must be a name or a string")
                    .labelled("not a name")
                    .help("quote it: `\(keyword) \"…\" { … }`"))
        }
    }

    mutating func checkAttribute(_ attribute: Attribute, in parent: BlockSpec?, seen: inout SeenAttributes) {
        let name = attribute.keyword.name
        guard let spec = parent?.attribute(name) else {
            if let block = LanguageSchema.block(name), block.parents.contains(parent?.keyword) {
                diagnostics.append(
                    Diagnostic(.bodyRequired, at: attribute.span, "`\(name)` needs a body")
                        .labelled("`\(name)` is a block")
                        .help("write `\(name)\(block.naming == .none ? "" : " NAME") { … }`"))
            } else if LanguageSchema.block(name) != nil, insideUnclosedBlock {
                return
            } else if LanguageSchema.block(name) != nil {
                let homes = LanguageSchema.block(name)!.parents.map { $0.map { "`\($0)`" } ?? "the top level" }
                diagnostics.append(
                    Diagnostic(.misplacedBlock, at: attribute.keyword.span, "`\(name)` is not allowed \(place(parent))")
                        .labelled("misplaced `\(name)`")
                        .note(
                            "`\(name)` is a block that belongs \(homes == ["the top level"] ? "at the top level" : "inside " + homes.joined(separator: " or "))"
                        ))
            } else {
                unknown(attribute.keyword, in: parent)
            }
            return
        }
        switch spec.arity {
        case .flag where !attribute.values.isEmpty:
            diagnostics.append(
                Diagnostic(
                    .valueCount, at: attribute.values[0].span.through(attribute.values.last!.span),
                    "`\(name)` takes no value"
                )
                .labelled("unexpected value")
                .help("write `\(name);`"))
        case .one where attribute.values.count != 1, .list where attribute.values.isEmpty:
            let found = attribute.values.count
            let at = found > 1 ? attribute.values[1].span.through(attribute.values.last!.span) : attribute.span
            var d = Diagnostic(
                .valueCount, at: at,
                "`\(name)` takes \(spec.arity == .one ? "one value" : "one or more values"), found \(found)"
            )
            .labelled(found == 0 ? "missing \(spec.type)" : "extra value\(found > 2 ? "s" : "")")
            .help("write `\(name) \(Self.example(spec.type));`")
            if spec.repeatable, found > 1 { d = d.note("`\(name)` may be repeated, one value per statement") }
            diagnostics.append(d)
        default:
            break
        }
        if !spec.repeatable {
            if let first = seen.first(name) {
                diagnostics.append(
                    Diagnostic(.duplicateAttribute, at: attribute.keyword.span, "`\(name)` is set twice")
                        .labelled("set again here")
                        .label(first, "first set here")
                        .help(
                            spec.arity == .list
                                ? "list every value in one statement: `\(name) a, b`" : "remove one of them"))
            } else {
                seen.add(name, attribute.keyword.span)
            }
        }
    }

    mutating func unknown(_ keyword: Identifier, in parent: BlockSpec?) {
        let name = keyword.name
        let candidates = allowedBlocks(in: parent).map(\.keyword) + (parent?.attributes.map(\.name) ?? [])
        var d = Diagnostic(.unknownKeyword, at: keyword.span, "unknown keyword `\(name)` \(place(parent))")
        if let suggestion = Spelling.suggest(name, among: candidates) {
            d = d.labelled("did you mean `\(suggestion)`?")
        } else if let owner = parent?.attributes.first(where: {
            if case .keyword(let words) = $0.type { return words.contains(name) } else { return false }
        }) {
            d = d.labelled("`\(name)` is a value of `\(owner.name)`")
                .help("write `\(owner.name) \(name);`")
        } else {
            d = d.labelled("not a keyword here")
            let sorted = candidates.sorted()
            if !sorted.isEmpty {
                d = d.note("keywords \(place(parent)): " + sorted.map { "`\($0)`" }.joined(separator: ", "))
            }
        }
        diagnostics.append(d)
    }

    /// A sample value of a type, for help texts.
    static func example(_ type: ValueType) -> String {
        switch type {
        case .integer: "9000"
        case .string: "\"text\""
        case .name: "eth0"
        case .address: "10.0.0.1"
        case .prefix: "10.0.0.0/24"
        case .addressRange: "10.0.0.10..10.0.0.50"
        case .asn: "65000"
        case .vlan: "100"
        case .vlanRange: "100..199"
        case .mac: "52:54:00:12:34:56"
        case .duration: "90s"
        case .keyword(let words): words.first ?? ""
        case .reference(let kind): "\(kind)-name"
        }
    }
}

/// The attributes a block has set, first statement each: a short list, not
/// a dictionary per block (a big intent has 100,000 blocks of two
/// attributes). It holds only attributes its block's schema knows, so it
/// never grows past the few dozen a block may have.
struct SeenAttributes {
    private var entries: [(name: String, span: Span)] = []

    func first(_ name: String) -> Span? { entries.first { $0.name == name }?.span }

    mutating func add(_ name: String, _ span: Span) { entries.append((name, span)) }
}
