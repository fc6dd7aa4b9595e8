import FabricDiagnostics
import FabricSyntax
import Testing

@testable import FabricDriver
@testable import FabricSema

/// The semantic stage's own diagnostics, before the driver merges repeats:
/// a mistake a loop repeats must cost one diagnostic there, not one per
/// iteration (building millions only for the driver to merge them is what
/// made such inputs take seconds and hundreds of megabytes).
func semanticDiagnostics(_ text: String) -> [Diagnostic] {
    let provider = MemorySourceProvider(files: ["/p/main.fab": text], workingDirectory: "/p")
    let (program, _) = ProgramLoader.load(entry: "main.fab", provider: provider)
    return SemanticAnalysis.run(program).diagnostics
}

let repeatNote = "at this place (a loop, or one setting shared by several)"

@Suite struct RepeatedMistakeTests {
    /// One diagnostic of `code`, whose note counts `more` repeats.
    func expectOnce(
        _ text: String, _ code: DiagnosticCode, more: Int, message: String? = nil,
        sourceLocation: SourceLocation = #_sourceLocation
    ) {
        let d = semanticDiagnostics(text)
        #expect(d.map(\.code.id) == [code.id], sourceLocation: sourceLocation)
        guard let first = d.first else { return }
        if let message { #expect(first.message == message, sourceLocation: sourceLocation) }
        let notes = first.notes.filter { $0.hasSuffix(repeatNote) }
        #expect(
            notes == ["reported once: the same check fails \(more) more times " + repeatNote],
            sourceLocation: sourceLocation)
    }

    @Test func innerRangeEmptyOnEveryOuterIteration() {
        expectOnce(
            "for i in 1..10000 { for j in 1..i - 20000 { vlan \"v${i}-${j}\" { id 5 } } }", .loopRange, more: 9999,
            message: "loop range 1..-19999 is empty")
    }

    @Test func innerRangeReversed() {
        expectOnce("for i in 1..10000 { for j in 5..1 { vlan \"v${i}-${j}\" { id 5 } } }", .loopRange, more: 9999)
    }

    @Test func innerBoundOverflows() {
        expectOnce(
            "for i in 1..10000 { for j in 1..9223372036854775807 + i { vlan \"v${j}\" { id 5 } } }", .arithmetic,
            more: 9999,
            message: "integer overflow in `9223372036854775807 + 1`")
    }

    @Test func innerRangeOfStrings() {
        expectOnce("for i in 1..10000 { for j in \"a${i}\"..\"b\" { } }", .loopRange, more: 9999)
    }

    @Test func interpolatedNameFailsEveryIteration() {
        // 100 x 100: the unknown variable fails in every inner iteration.
        expectOnce("for i in 1..100 { for j in 1..100 { vlan \"v${k}-${j}\" { id 5 } } }", .undefinedName, more: 9999)
    }

    @Test func firstFailingIterationIsTheOneDescribed() {
        // Iterations 1..5 fit; 6..10000 leave the address space.
        expectOnce(
            "for i in 1..10000 { network \"n${i}\" { prefix 10.0.0.0/24 + i; description \"${255.255.255.250 + i}\" } }",
            .arithmetic, more: 9994,
            message: "`255.255.255.250 + 6` leaves the IPv4 address space")
    }

    @Test func mistakeDependingOnTheValueIsStillFound() {
        // The name fails in every iteration, whatever `j` is; the division
        // only when `j` is 50, so the loop cannot stop after two iterations.
        let d = semanticDiagnostics("for i in 1..100 { for j in 1..100 { vlan \"v${i}-${k}\" { id 10 / (j - 50) } } }")
        #expect(d.map(\.code.id).sorted() == ["FAB3001", "FAB3006"])
        #expect(
            d.first { $0.code == .undefinedName }?.notes == [
                "reported once: the same check fails 9999 more times " + repeatNote
            ])
        #expect(
            d.first { $0.code == .arithmetic }?.notes == [
                "reported once: the same check fails 99 more times " + repeatNote
            ])
    }

    @Test func expansionLimitStopsWhereItDid() {
        // 1 + 3999999 iterations fit the limit; the next outer one does not.
        let outer = semanticDiagnostics("for i in 1..2 { for j in 1..3999999 { } }")
        #expect(outer.map(\.code.id) == ["FAB3007"])
        #expect(outer.first?.primary.span.start == 9)
        // Here the second inner loop's first iteration is the one too many.
        let inner = semanticDiagnostics("for i in 1..2 { for j in 1..3999998 { } }")
        #expect(inner.map(\.code.id) == ["FAB3007"])
        #expect(inner.first?.primary.span.start == 25)
    }

    @Test func nameALoopDeclaresAgainIsOneDiagnostic() {
        expectOnce(
            "for i in 1..10000 { vlan same { id 5 } }", .duplicateName, more: 9998,
            message: "vlan `same` is declared twice")
    }

    @Test func undefinedReferenceInALoopIsOneDiagnostic() {
        expectOnce(
            "for i in 1..10000 { pool \"p${i}\" { prefix 10.0.0.0/24 + i; vlan nope } }", .undefinedName, more: 9999,
            message: "no vlan named `nope`")
    }

    @Test func loopVariableHiddenOnEveryOuterIteration() {
        expectOnce("for i in 1..10000 { for i in 1..2 { } }", .loopRange, more: 9999)
    }

    @Test func unusedVLANsOfOneLoopAreOneWarning() {
        expectOnce(
            "for i in 1..10000 { vlan \"v${i}\" { id 5 } }", .unused, more: 9999, message: "vlan `v1` is never used")
    }

    @Test func unusedVLANsDeclaredApartAreEachReported() {
        let d = semanticDiagnostics(
            """
            vlan a { id 5 }
            vlan b { id 6 }
            vlan c { id 7 }
            pool p { prefix 10.0.0.0/24; vlan b }
            namespace n { pool p }
            """)
        #expect(d.map(\.message).sorted() == ["vlan `a` is never used", "vlan `c` is never used"])
        #expect(d.allSatisfy { $0.notes.isEmpty })
    }

    @Test func usedAndFailedDeclarationsAreNotUnused() {
        // `v2` is referred to; `v3` has no `id` (its own error, so no
        // warnings at all); a loop of used VLANs warns about none.
        #expect(
            semanticDiagnostics(
                """
                for i in 1..1000 { vlan "v${i}" { id i } }
                for i in 1..1000 { pool "p${i}" { prefix 10.0.0.0/24 + i; vlan "v${i}" } }
                namespace n { pool p1 }
                """
            ).isEmpty)
        #expect(semanticDiagnostics("vlan v2 { id 5 }\nvlan v3 { }").map(\.code.id) == ["FAB3009"])
    }

    @Test func driverOutputKeepsOneNote() {
        // The driver sees one diagnostic already counted: it adds no second note.
        let r = analyse("for i in 1..1000 { for j in 5..1 { } }")
        #expect(r.diagnostics.count == 1)
        #expect(r.diagnostics.first?.notes == ["reported once: the same check fails 999 more times " + repeatNote])
    }
}
