import FabricDiagnostics

/// A stable, indented text form of the syntax tree for `fabricc dump-ast`
/// and golden tests. Positions are printed as `line:col-line:col`.
public struct ASTDump {
    let sources: SourceMap
    var out = ""

    public static func render(_ files: [FileSyntax], sources: SourceMap) -> String {
        var dump = ASTDump(sources: sources)
        for file in files {
            dump.out += "file \(sources[file.file].displayPath)\n"
            for item in file.items { dump.item(item, 1) }
        }
        return dump.out
    }

    func range(_ span: Span) -> String {
        let file = sources[span.file]
        let a = file.location(of: span.start)
        let b = file.location(of: span.end)
        return "\(a.line):\(a.column)-\(b.line):\(b.column)"
    }

    mutating func line(_ depth: Int, _ text: String) {
        out += String(repeating: "  ", count: depth) + text + "\n"
    }

    mutating func item(_ item: Item, _ depth: Int) {
        switch item {
        case .attribute(let a):
            line(depth, "attribute \(a.keyword.name) \(range(a.span))")
            for v in a.values { expr(v, depth + 1) }
        case .block(let b):
            line(depth, "block \(b.keyword.name) \(range(b.span))")
            for l in b.labels { expr(l, depth + 1, prefix: "label ") }
            for i in b.body { self.item(i, depth + 1) }
        case .forLoop(let f):
            line(depth, "for \(f.variable.name) \(range(f.span))")
            expr(f.sequence, depth + 1, prefix: "in ")
            for i in f.body { self.item(i, depth + 1) }
        case .include(let i):
            line(depth, "include \(range(i.span))")
            expr(i.path, depth + 1)
        }
    }

    mutating func expr(_ e: Expression, _ depth: Int, prefix: String = "") {
        let r = range(e.span)
        switch e.kind {
        case .literal(let v):
            line(depth, "\(prefix)\(v.kindName.replacingOccurrences(of: " ", with: "-")) \(v) \(r)")
        case .string(let parts):
            line(depth, "\(prefix)string \(r)")
            for part in parts {
                switch part {
                case .text(let t): line(depth + 1, "text \(Self.quote(t))")
                case .interpolation(let inner, let width):
                    line(depth + 1, "interpolation" + (width.map { " width \($0)" } ?? ""))
                    expr(inner, depth + 2)
                }
            }
        case .name(let n):
            line(depth, "\(prefix)name \(n) \(r)")
        case .unary(let op, let operand):
            line(depth, "\(prefix)unary \(op.rawValue) \(r)")
            expr(operand, depth + 1)
        case .binary(let op, let lhs, let rhs):
            line(depth, "\(prefix)binary \(op.rawValue) \(r)")
            expr(lhs, depth + 1)
            expr(rhs, depth + 1)
        case .range(let lo, let hi):
            line(depth, "\(prefix)range \(r)")
            expr(lo, depth + 1)
            expr(hi, depth + 1)
        case .invalid:
            line(depth, "\(prefix)invalid \(r)")
        }
    }

    /// Quotes text with escapes so the dump is one line per node.
    static func quote(_ s: String) -> String {
        var out = "\""
        for scalar in s.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    out += "\\u{\(String(scalar.value, radix: 16))}"
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }
}
