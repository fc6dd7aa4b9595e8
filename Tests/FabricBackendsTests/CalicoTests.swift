import FabricDriver
import FabricSyntax
import FabricTestSupport
import Foundation
import Testing
import Yams

@testable import FabricBackends

/// The Calico documents judged by Calico's own CRDs (`Tests/calico/`,
/// through Python jsonschema), the core ones by the Kubernetes schemas
/// (kubernetes-validate), the labels script by shellcheck and by running it
/// against a recording `kubectl`, and the selectors against the intent.
@Suite struct CalicoTests {
    static let tools = PackageRoot.url.appendingPathComponent(".build/test-tools/bin")
    static let python = tools.appendingPathComponent("python").path
    static let kubernetesValidate = tools.appendingPathComponent("kubernetes-validate").path
    static let shellcheck = "/usr/bin/shellcheck"

    /// Every golden `calico/` file, the secrets folder's included.
    static func goldenFiles(_ suffix: String) -> [URL] {
        let walker = FileManager.default.enumerator(
            at: PackageRoot.url.appendingPathComponent("Golden"), includingPropertiesForKeys: nil)
        return (walker?.compactMap { $0 as? URL } ?? [])
            .filter {
                $0.lastPathComponent.hasSuffix(suffix) && $0.deletingLastPathComponent().lastPathComponent == "calico"
            }
            .sorted { $0.path < $1.path }
    }

    static func documents(_ url: URL) throws -> [Node] {
        try Array(Yams.compose_all(yaml: String(contentsOf: url, encoding: .utf8)))
    }

    @Test(.enabled(if: ToolRunner.available(python), "the test tools are not installed: run scripts/test"))
    func everyCalicoDocumentMatchesItsCRD() throws {
        let files = Self.goldenFiles(".yaml").filter { file in
            (try? Self.documents(file))?.allSatisfy { $0["apiVersion"]?.string == "projectcalico.org/v3" } ?? false
        }
        #expect(files.count >= 8)
        let script = PackageRoot.url.appendingPathComponent("Tests/calico/validate.py").path
        let (ok, output) = try ToolRunner.run(Self.python, [script] + files.map(\.path))
        #expect(ok, "\(output)")
        // The validator does refuse a broken pool and a misspelt action.
        try withScratchFile(
            """
            apiVersion: projectcalico.org/v3
            kind: IPPool
            metadata: {name: "p"}
            spec: {cidr: "10.0.0.1/24", ipipMode: "Sometimes"}
            ---
            apiVersion: projectcalico.org/v3
            kind: BGPFilter
            metadata: {name: "f"}
            spec: {exportV4: [{action: "Allow"}]}

            """
        ) { file in
            let (refused, text) = try ToolRunner.run(Self.python, [script, file.path])
            #expect(
                !refused && text.contains("spec/cidr") && text.contains("ipipMode") && text.contains("action"),
                "\(text)")
        }
    }

    @Test(.enabled(if: ToolRunner.available(kubernetesValidate), "the test tools are not installed: run scripts/test"))
    func theCoreDocumentsMatchTheKubernetesSchemas() throws {
        let files = Self.goldenFiles(".yaml").filter { file in
            (try? Self.documents(file))?.allSatisfy { $0["apiVersion"]?.string != "projectcalico.org/v3" } ?? false
        }
        #expect(files.map(\.lastPathComponent).sorted() == ["bgp-password-access.yaml", "bgp-passwords.yaml"])
        for file in files {
            let (ok, output) = try ToolRunner.run(Self.kubernetesValidate, ["--strict", "--quiet", file.path])
            #expect(ok && !output.contains("WARN"), "\(file.path): \(output)")
        }
    }

    /// Every filter ends in a catch-all Reject: a route no rule matches is
    /// accepted by Calico. Every peer names a filter that exists.
    @Test func filtersEndInRejectAndPeersNameThem() throws {
        for file in Self.goldenFiles("bgpfilters.yaml") {
            let filters = try Self.documents(file)
            let names = Set(filters.compactMap { $0["metadata"]?["name"]?.string })
            for filter in filters {
                for direction in ["importV4", "exportV4"] {
                    let last = filter["spec"]?[direction]?.sequence?.last
                    #expect(last?["action"]?.string == "Reject" && last?["cidr"] == nil, "\(file.path): \(direction)")
                }
            }
            let peers = try Self.documents(file.deletingLastPathComponent().appendingPathComponent("bgppeers.yaml"))
            for peer in peers {
                let named = peer["spec"]?["filters"]?.sequence?.compactMap(\.string) ?? []
                #expect(
                    !named.isEmpty && named.allSatisfy(names.contains),
                    "\(file.path): \(peer["metadata"]?["name"]?.string ?? "?")")
            }
        }
    }

    @Test(.enabled(if: ToolRunner.available(shellcheck), "shellcheck is not installed: run scripts/test"))
    func theLabelsScriptPassesShellcheckAndSetsWhatThePeersSelect() throws {
        let scripts = Self.goldenFiles("node-labels.sh")
        #expect(scripts.count >= 2)
        for script in scripts {
            let (clean, findings) = try ToolRunner.run(Self.shellcheck, ["-s", "sh", script.path])
            #expect(clean, "\(script.path): \(findings)")
            // Run it against a kubectl that records its arguments.
            let bin = FileManager.default.temporaryDirectory.appendingPathComponent(
                "fabricc-kubectl-\(UUID().uuidString)")
            defer { try? FileManager.default.removeItem(at: bin) }
            try FileManager.default.createDirectory(at: bin, withIntermediateDirectories: true)
            let log = bin.appendingPathComponent("log")
            try "#!/bin/sh\nprintf '%s\\n' \"$*\" >> \"\(log.path)\"\n".write(
                to: bin.appendingPathComponent("kubectl"), atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes(
                [.posixPermissions: 0o755], ofItemAtPath: bin.appendingPathComponent("kubectl").path)
            let (ran, output) = try ToolRunner.run(
                "/bin/sh", ["-c", "PATH=\"$1:$PATH\" sh \"$2\"", "sh", bin.path, script.path])
            #expect(ran, "\(output)")
            var labelled: [String: Set<String>] = [:]
            for line in try String(contentsOf: log, encoding: .utf8).split(separator: "\n") {
                let words = line.split(separator: " ").map(String.init)
                #expect(Array(words.prefix(3)) == ["label", "node", "--overwrite"], "\(line)")
                guard words.count > 4 else { continue }
                labelled[words[3], default: []].formUnion(words.dropFirst(4))
            }
            // Every label a peer selects on is set on some node.
            let peers = try Self.documents(script.deletingLastPathComponent().appendingPathComponent("bgppeers.yaml"))
            for peer in peers {
                guard let selector = peer["spec"]?["nodeSelector"]?.string else { continue }
                let match = try #require(selector.wholeMatch(of: /([a-z0-9.\/-]+) == 'true'/), "\(selector)")
                #expect(labelled.values.contains { $0.contains("\(match.1)=true") }, "no node carries \(match.1)")
            }
        }
    }
}
