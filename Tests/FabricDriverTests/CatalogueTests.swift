import FabricBackends
import FabricDiagnostics
import FabricTestSupport
import Foundation
import Testing

/// The catalogue is assembled from hand lists (the stages below the
/// backends) and the backend registry: nothing may escape it.
@Suite struct CatalogueTests {
    /// Every `DiagnosticCode("FAB…"` written anywhere under `Sources/`, with
    /// the file it is defined in.
    static func definedCodes() throws -> [(id: String, file: String)] {
        let sources = PackageRoot.url.appendingPathComponent("Sources")
        let walker = try #require(FileManager.default.enumerator(at: sources, includingPropertiesForKeys: nil))
        var found: [(String, String)] = []
        for case let url as URL in walker where url.pathExtension == "swift" {
            let text = try String(contentsOf: url, encoding: .utf8)
            for match in text.matches(of: /DiagnosticCode\(\s*"(FAB[0-9]{4})"/) {
                found.append((String(match.1), url.lastPathComponent))
            }
        }
        return found.sorted { $0.0 < $1.0 }
    }

    @Test func everyDefinedCodeIsCataloguedOnce() throws {
        let defined = try Self.definedCodes()
        #expect(defined.count > 100, "the source scan found too few codes: \(defined.count)")
        let catalogued = DiagnosticCatalogue.fabricc.all.map(\.id)
        #expect(Set(catalogued).count == catalogued.count, "a code is listed twice")
        var seen: [String: String] = [:]
        for (id, file) in defined {
            #expect(seen[id] == nil, "\(id) is defined in \(seen[id] ?? "") and again in \(file)")
            seen[id] = file
            #expect(
                catalogued.contains(id),
                "\(id) (\(file)) is defined but in no catalogue group: add it to its group's list")
        }
        #expect(Set(catalogued) == Set(seen.keys))
    }

    @Test func everyCodeSitsInItsGroupsRangeAndIsExplained() {
        let catalogue = DiagnosticCatalogue.fabricc
        for group in catalogue.groups {
            #expect(group.range.wholeMatch(of: /FAB[0-9]+x+/) != nil && group.range.count == 7, "\(group.range)")
            #expect(!group.codes.isEmpty, "\(group.range) is empty")
            for code in group.codes {
                #expect(group.holds(code), "\(code.id) is listed in \(group.range)")
            }
        }
        let ranges = catalogue.groups.map(\.range)
        #expect(Set(ranges).count == ranges.count, "two groups claim one range")
        for code in catalogue.all {
            #expect(code.explanation.count > 60, "\(code.id) needs a real explanation")
            #expect(catalogue.groups.filter { $0.holds(code) }.count == 1, "\(code.id) is in more than one range")
        }
    }

    /// Each backend's codes lie in its own folder, not in the lowest module.
    @Test func backendCodesLiveInTheirBackendsFolder() throws {
        let defined = Dictionary(try Self.definedCodes().map { ($0.id, $0.file) }, uniquingKeysWith: { a, _ in a })
        for backend in BackendRegistry.all {
            for code in backend.diagnostics.codes {
                let file = try #require(defined[code.id])
                let path = PackageRoot.url.appendingPathComponent("Sources/FabricBackends")
                let folder = try FileManager.default.contentsOfDirectory(atPath: path.path)
                    .first { FileManager.default.fileExists(atPath: path.appendingPathComponent("\($0)/\(file)").path) }
                #expect(folder?.lowercased() == backend.name, "\(code.id) of \(backend.name) is defined in \(file)")
            }
        }
    }
}
