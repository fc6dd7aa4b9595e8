import Testing

@testable import FabricDiagnostics

@Suite struct SourceFileTests {
    @Test func linesAndColumns() {
        let f = SourceFile(id: FileID(0), displayPath: "a", bytes: Array("ab\ncdé\r\nx".utf8))
        #expect(f.lineCount == 3)
        #expect(f.location(of: 0) == Location(line: 1, column: 1))
        #expect(f.location(of: 3) == Location(line: 2, column: 1))
        // After the two-byte é: column counts characters, not bytes.
        #expect(f.location(of: 7) == Location(line: 2, column: 4))
        #expect(f.lineText(1) == "cdé")
        #expect(f.location(of: 9) == Location(line: 3, column: 1))
        #expect(f.location(of: 10) == Location(line: 3, column: 2))
    }

    @Test func invalidUTF8Displays() {
        let f = SourceFile(id: FileID(0), displayPath: "a", bytes: [0x61, 0xFF, 0x62])
        #expect(f.lineText(0) == "a\u{FFFD}b")
        #expect(f.location(of: 2) == Location(line: 1, column: 3))
    }

    @Test func includeChain() {
        var map = SourceMap()
        let a = map.add(displayPath: "a", bytes: Array("include \"b\"".utf8))
        let b = map.add(
            displayPath: "b", bytes: Array("include \"c\"".utf8), includedFrom: Span(file: a, start: 8, end: 11))
        let c = map.add(displayPath: "c", bytes: [], includedFrom: Span(file: b, start: 8, end: 11))
        #expect(map.includeChain(of: c).map(\.file) == [b, a])
    }
}

@Suite struct SpellingTests {
    @Test(arguments: [
        ("hots", "host"), ("reflecter", "reflector"), ("adress", "address"), ("prefx", "prefix"),
        ("vlna", "vlan"), ("HOST", "host"),
    ])
    func suggests(word: String, expected: String) {
        let candidates = ["host", "reflector", "address", "prefix", "vlan", "pool", "router"]
        #expect(Spelling.suggest(word, among: candidates) == expected)
    }

    @Test func staysQuietWhenNothingIsClose() {
        #expect(Spelling.suggest("banana", among: ["host", "pool"]) == nil)
        #expect(Spelling.suggest("x", among: ["host", "pool"]) == nil)
        #expect(Spelling.suggest("", among: ["host"]) == nil)
    }
}

@Suite struct CatalogueTests {
    @Test func codesAreUniqueSortedAndExplained() {
        let ids = DiagnosticCatalogue.core.all.map(\.id)
        #expect(Set(ids).count == ids.count)
        #expect(ids == ids.sorted())
        for code in DiagnosticCatalogue.core.all {
            #expect(code.id.wholeMatch(of: /FAB[0-9]{4}/) != nil)
            #expect(code.explanation.count > 60, "\(code.id) needs a real explanation")
            // Lower case, except for an acronym such as VLAN or BGP.
            let firstWord = code.title.prefix { $0 != " " }
            #expect(
                code.title.first.map { !$0.isUppercase } == true || firstWord.allSatisfy(\.isUppercase),
                "\(code.id) title starts in lower case")
        }
        #expect(DiagnosticCatalogue.core.code("fab1002")?.id == "FAB1002")
    }
}
