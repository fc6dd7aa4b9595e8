import FabricDiagnostics
import Testing

@testable import FabricSyntax

@Suite struct ParserTests {
    @Test func blocksAttributesAndLabels() throws {
        let r = parse(
            """
            fabric dc1 { asn 65203; gateway 10.0.0.1 }
            host "kvm1" {
              reflectors rr1, rr2
              vm web1 { ip 203.0.113.10 }
            }
            """)
        #expect(r.diagnostics.isEmpty)
        #expect(r.syntax.items.count == 2)
        guard case .block(let host) = r.syntax.items[1] else { throw Failure("not a block") }
        #expect(host.keyword.name == "host")
        #expect(host.labels.first?.plainString == "kvm1")
        guard case .attribute(let reflectors) = host.body[0] else { throw Failure("not an attribute") }
        #expect(reflectors.values.map(\.kind) == [.name("rr1"), .name("rr2")])
        #expect(r.sources.text(of: reflectors.span) == "reflectors rr1, rr2")
        #expect(r.sources.text(of: host.span).hasPrefix("host \"kvm1\" {"))
        #expect(r.sources.text(of: host.span).hasSuffix("}"))
    }

    @Test func semicolonIsOptionalBeforeBraceAndAtEOF() {
        #expect(parse("a { b 1 }").diagnostics.isEmpty)
        #expect(parse("a 1").diagnostics.isEmpty)
        #expect(parse("a { b 1; c 2; }; d 3;").diagnostics.isEmpty)
    }

    @Test func allmanBraces() throws {
        let r = parse("host kvm1\n{\n  mtu 9000\n}\n")
        #expect(r.diagnostics.isEmpty)
        guard case .block(let b) = r.syntax.items[0] else { throw Failure("not a block") }
        #expect(b.body.count == 1)
    }

    @Test func listsMayContinueAfterComma() throws {
        let r = parse("reflectors rr1,\n  rr2,\n  rr3\n")
        #expect(r.diagnostics.isEmpty)
        guard case .attribute(let a) = r.syntax.items[0] else { throw Failure("not an attribute") }
        #expect(a.values.count == 3)
    }

    @Test func precedenceAndRanges() throws {
        let r = parse("x 10.0.0.20 + i * 2 - (3 % 2), -1, 1..48")
        #expect(r.diagnostics.isEmpty)
        guard case .attribute(let a) = r.syntax.items[0] else { throw Failure("not an attribute") }
        // (10.0.0.20 + (i * 2)) - (3 % 2)
        guard case .binary(.subtract, let lhs, _) = a.values[0].kind,
            case .binary(.add, _, let product) = lhs.kind,
            case .binary(.multiply, _, _) = product.kind
        else {
            throw Failure("wrong shape: \(a.values[0].kind)")
        }
        guard case .unary(.negate, _) = a.values[1].kind else { throw Failure("no negation") }
        guard case .range = a.values[2].kind else { throw Failure("no range") }
        #expect(r.sources.text(of: a.values[0].span) == "10.0.0.20 + i * 2 - (3 % 2)")
    }

    @Test func forLoop() throws {
        let r = parse("for i in 1..3 {\n host \"kvm${i}\" { address 10.0.0.20 + i }\n}")
        #expect(r.diagnostics.isEmpty)
        guard case .forLoop(let loop) = r.syntax.items[0] else { throw Failure("not a loop") }
        #expect(loop.variable.name == "i")
        #expect(loop.body.count == 1)
        guard case .block(let host) = loop.body[0], case .string(let parts) = host.labels[0].kind,
            case .interpolation(let e, nil) = parts[1]
        else { throw Failure("no interpolation") }
        #expect(e.kind == .name("i"))
        #expect(r.sources.text(of: e.span) == "i")
    }

    @Test func interpolationErrorsPointIntoTheString() {
        let r = parse("host \"kvm${i +}\" { }")
        #expect(codes(r.diagnostics) == ["FAB1020"])
        let loc = r.sources.location(of: r.diagnostics[0].primary.span)
        #expect(loc == Location(line: 1, column: 15))
    }

    @Test func includeOnlyAtTopLevelAndLiteral() {
        #expect(codes(parse("host a { include \"x.fab\" }").diagnostics) == ["FAB1033"])
        #expect(codes(parse("include \"x${i}.fab\"").diagnostics) == ["FAB1034"])
        #expect(codes(parse("include").diagnostics) == ["FAB1020"])
    }

    @Test func unclosedBraceNamesTheLikelyCulprit() {
        let r = parse(
            """
            host a {
              vm x {
                ip 10.0.0.1
            }
            host b { }
            """)
        #expect(codes(r.diagnostics) == ["FAB1021"])
        let d = r.diagnostics[0]
        #expect(r.sources.location(of: d.primary.span) == Location(line: 1, column: 8))
        #expect(
            d.secondary.contains { $0.message.contains("missing its `}`") && r.sources.location(of: $0.span).line == 2 }
        )
    }

    @Test func unmatchedClosingBrace() {
        let r = parse("host a { }\n}\nhost b { }")
        #expect(codes(r.diagnostics) == ["FAB1022"])
        #expect(r.syntax.items.count == 2)
    }

    @Test func oneMistakeOneDiagnostic() {
        // A broken value does not also produce "expected terminator".
        #expect(parse("a 10.0.0.256 { b 1 }").diagnostics.count == 1)
        #expect(parse("prefix 10.0.0.1/24").diagnostics.count == 1)
        #expect(parse("a (1 + 2").diagnostics.count == 1)
        #expect(parse("a = 1").diagnostics.count == 1)
    }

    @Test func deepNestingIsBoundedNotACrash() {
        let parens = String(repeating: "(", count: 10_000) + "1" + String(repeating: ")", count: 10_000)
        #expect(!parse("a \(parens)").diagnostics.isEmpty)
        let braces = String(repeating: "a {", count: 10_000) + String(repeating: "}", count: 10_000)
        #expect(!parse(braces).diagnostics.isEmpty)
        let minus = "a " + String(repeating: "-", count: 10_000) + "1"
        #expect(!parse(minus).diagnostics.isEmpty)
    }
}

struct Failure: Error, CustomStringConvertible {
    let description: String
    init(_ d: String) { description = d }
}
