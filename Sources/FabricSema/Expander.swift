import FabricBase
import FabricDiagnostics
import FabricSyntax

/// Unrolls `for` loops and evaluates every expression, producing the
/// ``Instance`` tree of the whole fabric (all files merged, in file order).
///
/// Runs only on a program that parsed and passed the structure check, so
/// every keyword is known and in its place.
public struct Expander {
    let sources: SourceMap
    /// A mistake in a loop body fails once per iteration: it is built once
    /// per code and place, and its repeats only counted.
    var log = RepeatLog()
    /// Loop variables in scope, innermost last.
    var scope: [(name: String, value: Int64, loop: Span)] = []
    var generated = 0

    /// Above this many declarations and loop iterations together, expansion
    /// stops: a typo such as `1..100000000` must not exhaust memory or time.
    static let maxGenerated = 4_000_000
    /// Set when the limit was hit: every loop stops, and it is reported once.
    var stopped = false

    public static func expand(_ program: ParsedProgram) -> (roots: [Instance], diagnostics: [Diagnostic]) {
        var expander = Expander(sources: program.sources)
        var root = Instance(
            keyword: "", keywordSpan: Span(file: program.entry, start: 0, end: 0), name: nil,
            span: Span(file: program.entry, start: 0, end: 0), origin: nil)
        for file in program.files {
            expander.expand(file.items, into: &root)
        }
        return (root.children, expander.log.diagnostics)
    }

    /// Reports `code` at `span` the first time it fails there; a repeat (the
    /// next iteration) is only counted: neither `message` nor `refine` runs.
    mutating func report(
        _ code: DiagnosticCode, at span: Span, _ message: @autoclosure () -> String,
        _ refine: (Diagnostic) -> Diagnostic = { $0 }
    ) {
        log.report(code, at: span) { refine(Diagnostic(code, at: span, message())) }
    }

    mutating func reportUnknownVariable(_ name: String, at span: Span) {
        let scope = self.scope
        log.report(.undefinedName, at: span) { Expander.unknownVariable(name, at: span, scope: scope) }
    }

    var origin: LoopTrace? {
        guard let innermost = scope.last else { return nil }
        return LoopTrace(bindings: scope.map { LoopBinding(name: $0.name, value: $0.value) }, loop: innermost.loop)
    }

    /// `keep` false: inside a block whose name failed, which is dropped;
    /// its body is only evaluated, for the mistakes in it, and nothing of it
    /// is stored (a loop can do this millions of times).
    mutating func expand(_ items: [Item], into parent: inout Instance, keep: Bool = true) {
        for item in items {
            switch item {
            case .include:
                break
            case .attribute(let a) where !keep:
                for e in a.values {
                    if case .name(let n) = e.kind, variable(n) != nil,
                        Expander.takesNames(parent.keyword, a.keyword.name)
                    {
                        continue
                    }
                    _ = evaluate(e)
                }
            case .attribute(let a):
                let values = a.values.map { e -> Located<Value>? in
                    // Where a name or keyword is expected, a bare name is that
                    // name even if a loop variable has it: `platform kvm`
                    // inside `for kvm in …` still means the platform.
                    if case .name(let n) = e.kind, variable(n) != nil,
                        Expander.takesNames(parent.keyword, a.keyword.name)
                    {
                        return Located(.word(n), e.span)
                    }
                    return evaluate(e).map { Located($0, e.span) }
                }
                parent.attributes.append(
                    AttributeInstance(name: a.keyword.name, keywordSpan: a.keyword.span, span: a.span, values: values))
            case .block(let b):
                var name: Located<String>?
                if let label = b.labels.first {
                    switch evaluate(label) {
                    case .string(let s)?, .word(let s)?: name = Located(s, label.span)
                    case let other?:
                        report(
                            .typeMismatch, at: label.span,
                            "the name of a `\(b.keyword.name)` must be a name or a string, found \(other.kindName)"
                        ) {
                            $0.labelled("not a name")
                        }
                    case nil: break
                    }
                }
                guard spend(at: b.keyword.span) else { return }
                // A block whose name failed (reported) is dropped: it needs no
                // trace, and its body is only evaluated, for its mistakes
                // (its attributes are kept if a loop in it may repeat one).
                let kept = keep && (b.labels.isEmpty || name != nil)
                var (hasLoop, attributes, blocks) = (false, 0, 0)
                for k in b.body.indices {
                    switch b.body[k] {
                    case .forLoop: hasLoop = true
                    case .attribute: attributes += 1
                    case .block: blocks += 1
                    case .include: break
                    }
                }
                var child = Instance(
                    keyword: b.keyword.name, keywordSpan: b.keyword.span, name: name, span: b.span,
                    origin: kept ? origin : nil)
                // Sized once (a loop may add more): growing them one append
                // at a time reallocated most of a big intent's instances.
                if kept {
                    child.attributes.reserveCapacity(attributes)
                    child.children.reserveCapacity(blocks)
                }
                expand(b.body, into: &child, keep: kept || hasLoop)
                if hasLoop { reportRepeatedByLoop(child) }
                if kept { parent.children.append(child) }
            case .forLoop(let loop):
                expandLoop(loop, into: &parent, keep: keep)
            }
        }
    }

    /// Counts one declaration or iteration against the expansion budget;
    /// false (reported once) when it is spent.
    mutating func spend(at span: Span) -> Bool {
        guard !stopped else { return false }
        generated += 1
        guard generated > Expander.maxGenerated else { return true }
        stopped = true
        report(.loopRange, at: span, "loops generate more than \(Expander.maxGenerated) declarations and iterations") {
            $0.labelled("expansion stopped here")
                .help("check the loop ranges: `1..100000000` is rarely meant")
        }
        return false
    }

    /// The attributes of each block that take names, keywords or
    /// references, looked up per value that is a loop variable's name.
    static let nameTaking: [String: Set<String>] = Dictionary(
        uniqueKeysWithValues: LanguageSchema.blocks.map { b in
            (
                b.keyword,
                Set(
                    b.attributes.filter {
                        switch $0.type {
                        case .keyword, .reference, .name: true
                        default: false
                        }
                    }.map(\.name))
            )
        })

    static func takesNames(_ block: String, _ attribute: String) -> Bool {
        nameTaking[block]?.contains(attribute) ?? false
    }

    /// A loop inside a block can set a single-valued attribute once per
    /// iteration; the structure check, which sees the loop once, cannot.
    mutating func reportRepeatedByLoop(_ i: Instance) {
        guard let spec = LanguageSchema.block(i.keyword), i.attributes.count > 1 else { return }
        var seen: Set<String> = []
        for a in i.attributes {
            guard !seen.insert(a.name).inserted, let attribute = spec.attribute(a.name), !attribute.repeatable else {
                continue
            }
            report(.duplicateAttribute, at: a.keywordSpan, "`\(a.name)` is set more than once: a loop repeats it") {
                $0.labelled("set once per iteration")
                    .help("move `\(a.name)` out of the loop, or make the loop make whole declarations")
            }
            seen.insert(a.name + "/reported")
            return
        }
    }

    mutating func expandLoop(_ loop: ForLoop, into parent: inout Instance, keep: Bool = true) {
        let name = loop.variable.name
        if let outer = scope.first(where: { $0.name == name }) {
            report(.loopRange, at: loop.variable.span, "loop variable `\(name)` hides an outer one") {
                $0.labelled("already a loop variable")
                    .label(outer.loop, "the outer loop")
                    .help("give the inner loop another variable name")
            }
            return
        }
        guard let sequence = evaluate(loop.sequence) else { return }
        guard case .range(.integer(let lo), .integer(let hi)) = sequence else {
            // Worded only the first time: in an outer loop this fails once per iteration.
            func found() -> String {
                guard case .range(let a, _) = sequence else { return sequence.kindName }
                return
                    "a range of \(a.kindName.replacingOccurrences(of: "an ", with: "").replacingOccurrences(of: "a ", with: ""))s"
            }
            report(.loopRange, at: loop.sequence.span, "a loop runs over an integer range, found \(found())") {
                $0.labelled("expected `FROM..TO`")
                    .help("write `for \(name) in 1..48 { … }`")
            }
            return
        }
        guard lo <= hi else {
            report(.loopRange, at: loop.sequence.span, "loop range \(lo)..\(hi) is empty") {
                $0.labelled("runs zero times")
                    .help("write the smaller bound first: `\(hi)..\(lo)`")
            }
            return
        }
        let count = hi.subtractingReportingOverflow(lo)
        guard !count.overflow, count.partialValue < Int64(Expander.maxGenerated) else {
            report(.loopRange, at: loop.sequence.span, "loop range \(lo)..\(hi) is too large") {
                $0.labelled("more than \(Expander.maxGenerated) iterations")
            }
            return
        }
        for (k, value) in (lo...hi).enumerated() {
            // The second iteration is watched: if it keeps nothing and only
            // repeats mistakes, every later one would do the same.
            let watch = k == 1 && value < hi
            let before = (children: parent.children.count, attributes: parent.attributes.count, generated: generated)
            // Iterations count too: loops that make no blocks can still run
            // forever (`for i in 1..1999999 { for j in 1..1999999 { } }`).
            guard spend(at: loop.sequence.span) else { return }
            if watch { log.startWatch() }
            scope.append((name, value, loop.span))
            expand(loop.body, into: &parent, keep: keep)
            scope.removeLast()
            guard watch else { continue }
            let watched = log.endWatch()
            // A body whose mistakes cannot change with the variable's value
            // fails the same way in each iteration: count the rest of them
            // instead of running them (a mistake repeated by a loop of
            // millions of iterations is then cheap). Not when it would pass
            // the budget, which then stops the loop where it always did.
            let rest = Int(hi - value)
            let spent = generated - before.generated
            if let watched, !stopped, parent.children.count == before.children,
                parent.attributes.count == before.attributes,
                spent <= (Expander.maxGenerated - generated) / rest, !Expander.valueMayMatter(loop.body, name)
            {
                generated += spent * rest
                log.repeatEvents(watched, times: rest)
                return
            }
        }
    }

    /// Whether expanding `items` may report other mistakes, or make other
    /// loops run, for another value of the loop variable `v`: `v` is used in
    /// arithmetic or a range. A bare `v` (a value, a name, `${v}`) cannot
    /// fail by its value.
    static func valueMayMatter(_ items: [Item], _ v: String) -> Bool {
        func uses(_ e: Expression) -> Bool {
            switch e.kind {
            case .invalid, .literal: false
            case .name(let n): n == v
            case .string(let parts):
                parts.contains { if case .interpolation(let inner, _) = $0 { uses(inner) } else { false } }
            case .unary(_, let x): uses(x)
            case .binary(_, let a, let b), .range(let a, let b): uses(a) || uses(b)
            }
        }
        func matters(_ e: Expression) -> Bool {
            switch e.kind {
            case .invalid, .literal, .name: false
            case .string(let parts):
                parts.contains { if case .interpolation(let inner, _) = $0 { matters(inner) } else { false } }
            case .unary, .binary, .range: uses(e)
            }
        }
        return items.contains { item in
            switch item {
            case .include: false
            case .attribute(let a): a.values.contains(where: matters)
            case .block(let b): b.labels.contains(where: matters) || valueMayMatter(b.body, v)
            // An inner `v` is refused before its range is evaluated.
            case .forLoop(let l): l.variable.name != v && (uses(l.sequence) || valueMayMatter(l.body, v))
            }
        }
    }

    // MARK: expressions

    func variable(_ name: String) -> Int64? { scope.last { $0.name == name }?.value }

    mutating func evaluate(_ e: Expression) -> Value? {
        switch e.kind {
        case .invalid:
            return nil
        case .literal(let literal):
            switch literal {
            case .integer(let v): return .integer(v)
            case .ipv4(let a): return .address(.v4(a))
            case .ipv6(let a): return .address(.v6(a))
            case .prefix4(let a, let l): return .prefix(IPPrefix(network: .v4(a), length: Int(l)))
            case .prefix6(let a, let l): return .prefix(IPPrefix(network: .v6(a), length: Int(l)))
            case .asdot(let v): return .asdot(v)
            case .mac(let m): return .mac(m)
            case .duration(let ms): return .duration(milliseconds: ms)
            }
        case .name(let n):
            if let v = variable(n) { return .integer(v) }
            return .word(n)
        case .string(let parts):
            var out = ""
            for part in parts {
                switch part {
                case .text(let t):
                    out += t
                case .interpolation(let inner, let width):
                    guard let v = evaluate(inner) else { return nil }
                    if case .word(let w) = v {
                        reportUnknownVariable(w, at: inner.span)
                        return nil
                    }
                    if let width {
                        guard case .integer(let n) = v else {
                            report(
                                .typeMismatch, at: inner.span,
                                "zero padding `:\(width)` needs an integer, found \(v.kindName)"
                            ) {
                                $0.labelled("not an integer")
                            }
                            return nil
                        }
                        let digits = String(n.magnitude)
                        out += (n < 0 ? "-" : "") + String(repeating: "0", count: max(0, width - digits.count)) + digits
                    } else {
                        out += v.text
                    }
                }
            }
            return .string(out)
        case .unary(.negate, let operand):
            guard let v = evaluate(operand) else { return nil }
            guard case .integer(let n) = v, n != Int64.min else {
                reportArithmetic(at: e.span, "cannot negate \(v.kindName)")
                return nil
            }
            return .integer(-n)
        case .binary(let op, let lhs, let rhs):
            guard let a = evaluate(lhs), let b = evaluate(rhs) else { return nil }
            return binary(op, a, b, e, lhs: lhs, rhs: rhs)
        case .range(let lo, let hi):
            guard let a = evaluate(lo), let b = evaluate(hi) else { return nil }
            return .range(a, b)
        }
    }

    static func unknownVariable(_ name: String, at span: Span, scope: [(name: String, value: Int64, loop: Span)])
        -> Diagnostic
    {
        var d = Diagnostic(.undefinedName, at: span, "`\(name)` is not a loop variable")
            .labelled("unknown variable")
        if let dash = name.firstIndex(of: "-"), scope.contains(where: { $0.name == name[..<dash] }) {
            d = d.help(
                "`-` belongs to names: write `\(name[..<dash]) - \(name[name.index(after: dash)...])` with spaces")
        } else if let near = Spelling.suggest(name, among: scope.map(\.name)) {
            d = d.help("did you mean `\(near)`?")
        } else if scope.isEmpty {
            d = d.note("only loop variables can be used in arithmetic and `${…}`")
        }
        return d
    }

    mutating func reportArithmetic(
        at span: Span, _ message: @autoclosure () -> String, _ refine: (Diagnostic) -> Diagnostic = { $0 }
    ) {
        report(.arithmetic, at: span, message()) { refine($0.labelled("here")) }
    }

    mutating func binary(
        _ op: BinaryOperator, _ a: Value, _ b: Value, _ e: Expression, lhs: Expression, rhs: Expression
    ) -> Value? {
        if case .word(let w) = a {
            reportUnknownVariable(w, at: lhs.span)
            return nil
        }
        if case .word(let w) = b {
            reportUnknownVariable(w, at: rhs.span)
            return nil
        }
        switch (a, b, op) {
        case (.integer(let x), .integer(let y), _):
            let result: (partialValue: Int64, overflow: Bool)
            switch op {
            case .add: result = x.addingReportingOverflow(y)
            case .subtract: result = x.subtractingReportingOverflow(y)
            case .multiply: result = x.multipliedReportingOverflow(by: y)
            case .divide, .remainder:
                guard y != 0 else {
                    reportArithmetic(at: rhs.span, "division by zero") { $0.labelled("is zero") }
                    return nil
                }
                result = op == .divide ? x.dividedReportingOverflow(by: y) : x.remainderReportingOverflow(dividingBy: y)
            }
            guard !result.overflow else {
                reportArithmetic(at: e.span, "integer overflow in `\(x) \(op.rawValue) \(y)`")
                return nil
            }
            return .integer(result.partialValue)
        case (.address(let addr), .integer(let n), .add), (.integer(let n), .address(let addr), .add):
            guard let r = addr.adding(n) else {
                reportArithmetic(at: e.span, "`\(addr) + \(n)` leaves the \(addr.isV4 ? "IPv4" : "IPv6") address space")
                return nil
            }
            return .address(r)
        case (.address(let addr), .integer(let n), .subtract):
            guard n != Int64.min, let r = addr.adding(-n) else {
                reportArithmetic(at: e.span, "`\(addr) - \(n)` leaves the \(addr.isV4 ? "IPv4" : "IPv6") address space")
                return nil
            }
            return .address(r)
        case (.mac(let m), .integer(let n), .add), (.integer(let n), .mac(let m), .add),
            (.mac(let m), .integer(let n), .subtract):
            // 48 bits, checked: wrapping would hand out another OUI's address.
            let sum = op == .add ? Int128(m.value) + Int128(n) : Int128(m.value) - Int128(n)
            guard sum >= 0, sum <= 0xFFFF_FFFF_FFFF else {
                reportArithmetic(at: e.span, "`\(m) \(op.rawValue) \(n)` leaves the 48-bit MAC address space") {
                    $0.note("a MAC address is 48 bits, from 00:00:00:00:00:00 to ff:ff:ff:ff:ff:ff")
                }
                return nil
            }
            return .mac(MACAddress(UInt64(sum)))
        case (.prefix(let p), .integer(let n), .add), (.integer(let n), .prefix(let p), .add):
            guard let r = p.shifted(by: n) else {
                reportArithmetic(at: e.span, "`\(p) + \(n)` leaves the address space")
                return nil
            }
            return .prefix(r)
        case (.prefix(let p), .integer(let n), .subtract):
            guard n != Int64.min, let r = p.shifted(by: -n) else {
                reportArithmetic(at: e.span, "`\(p) - \(n)` leaves the address space")
                return nil
            }
            return .prefix(r)
        default:
            reportArithmetic(at: e.span, "cannot apply `\(op.rawValue)` to \(a.kindName) and \(b.kindName)") {
                $0.note("integers take + - * / %; an address, prefix or MAC takes + and - with an integer")
            }
            return nil
        }
    }
}
