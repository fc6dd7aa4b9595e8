import FabricDiagnostics
import Testing

@testable import FabricSyntax

/// Inputs at the edges of the lexer and parser (long chains, many blocks on
/// a line, a BOM, interpolation ends): each must stay one clean outcome.
@Suite struct EdgeInputTests {
    @Test func longOperatorChainsAreBoundedNotACrash() {
        let chain = "fabric { mtu " + Array(repeating: "1", count: 5000).joined(separator: " + ") + " }"
        let r = parse(chain)
        #expect(codes(r.diagnostics) == ["FAB1020"])
        #expect(r.diagnostics[0].message == "expression is too long")
        // A long but reasonable chain is fine.
        #expect(
            parse("fabric { mtu " + Array(repeating: "1", count: 100).joined(separator: " * ") + " }").diagnostics
                .isEmpty)
    }

    @Test func manyBlocksOnOneLine() {
        let line = String(repeating: "pool p { prefix 10.0.0.0/24 }; ", count: 4000)
        let r = parse(line)
        #expect(r.diagnostics.isEmpty)
        #expect(r.syntax.items.count == 4000)
        // Columns on a long ASCII line come from offsets, not decoding.
        #expect(r.sources.location(of: r.syntax.items[3999].span) == Location(line: 1, column: 3999 * 31 + 1))
    }

    @Test(arguments: [
        ("host \"a${}bc\" { }", ["FAB1007"]),
        ("host \"a${i:99}bc\" { }", ["FAB1007"]),
        ("fabric { description \"x \\\r\n y\" }", ["FAB1002"]),
        ("fabric { description \"${\"\\\n}\" }", ["FAB1007"]),
        ("host \"${i:}\" { }", ["FAB1001"]),
        ("host \"${ 1 # }\" { }", ["FAB1007"]),
        ("host \"${ /* } */ 1 }\" { }", ["FAB1007"]),
        ("fabric { hold-time 090s }", ["FAB1017"]),
        ("host h { vm v { mac 52:54:00:123:34:56 } }", ["FAB1016"]),
        ("host h { vm v { mac 52-54-00-12-34-56 } }", ["FAB1016"]),
        ("host h { vm v { mac aa-bb-cc-dd-ee-ff } }", ["FAB1016"]),
    ])
    func oneMistakeOneDiagnostic(text: String, expected: [String]) {
        #expect(codes(parse(text).diagnostics) == expected, "\(text)")
    }

    @Test func endOfAnInterpolationIsNotTheEndOfTheFile() {
        #expect(
            parse("host \"${ i - }\" { }").diagnostics.first?.message
                == "expected a value, found the end of the interpolation")
        #expect(
            parse("host \"${ (i }\" { }").diagnostics.first?.message
                == "expected `)`, found the end of the interpolation")
    }

    @Test func byteOrderMarkIsNotText() {
        var sources = SourceMap()
        let id = sources.add(displayPath: "bom.fab", bytes: [0xEF, 0xBB, 0xBF] + Array("host a { mtu 09 }".utf8))
        let (_, diagnostics) = Parser.parse(sources[id])
        #expect(codes(diagnostics) == ["FAB1014"])
        #expect(sources.location(of: diagnostics[0].primary.span) == Location(line: 1, column: 14))
        #expect(sources[id].lineText(0) == "host a { mtu 09 }")
    }

    @Test func zeroDurationPrints() {
        #expect(LiteralValue.duration(milliseconds: 0).description == "0s")
    }
}
