import FabricDiagnostics
import FabricDriver
import FabricSema
import FabricSyntax
import FabricTestSupport
import Foundation
import Testing
import Yams

@testable import FabricBackends

/// The Antrea YAML judged by the real CRD's schema (a copy in
/// `Tests/FabricBackendsTests/antrea/`), read back by a YAML 1.1 reader
/// (PyYAML, as Kubernetes reads YAML 1.1), and the `--previous` check.
@Suite struct AntreaTests {
    static let python = "/usr/bin/python3"

    static func crdSchema(_ version: String) throws -> OpenAPISchema {
        let url = try #require(Bundle.module.url(forResource: "antrea/ippool-crd", withExtension: "yaml"))
        return try #require(try OpenAPISchema.crd(String(contentsOf: url, encoding: .utf8), version: version))
    }

    static func build(_ source: String, previous: [String: String] = [:], allowBreaking: Bool = false) -> (
        files: [String: String], diagnostics: [Diagnostic]
    ) {
        let result = Driver.build(
            "main.fab", options: BuildOptions(backends: ["antrea"], previous: previous, allowBreaking: allowBreaking),
            provider: MemorySourceProvider(files: ["/project/main.fab": source]))
        return (Dictionary(uniqueKeysWithValues: result.files.map { ($0.path, $0.contents) }), result.diagnostics)
    }

    /// Every `antrea/*.yaml` in the golden trees.
    static func goldenFiles() -> [URL] {
        let walker = FileManager.default.enumerator(
            at: PackageRoot.url.appendingPathComponent("Golden"), includingPropertiesForKeys: nil)
        return (walker?.compactMap { $0 as? URL } ?? [])
            .filter {
                $0.pathExtension == "yaml" && $0.deletingLastPathComponent().lastPathComponent == "antrea"
                    && $0.path.contains("/expected/")
            }
            .sorted { $0.path < $1.path }
    }

    static let edgeCases = """
        fabric t { antrea-version VERSION }
        pool cidr { prefix 10.30.0.0/24; range 10.30.0.0/26; range 10.30.0.128/26; gateway 10.30.0.254 }
        pool whole { prefix 10.31.0.0/24; gateway 10.31.0.1 }
        namespace ns-cidr { pool cidr }
        namespace ns-whole { pool whole }
        pod p1 { namespace ns-cidr; ip 10.30.0.5 }
        """

    @Test(arguments: ["v1alpha2", "v1beta1"])
    func everyIPPoolMatchesTheCRDSchema(_ version: String) throws {
        let schema = try Self.crdSchema(version)
        let (files, diagnostics) = Self.build(Self.edgeCases.replacingOccurrences(of: "VERSION", with: version))
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics.map(\.message))")
        let pools = try Array(Yams.compose_all(yaml: try #require(files["antrea/ippools.yaml"])))
        #expect(pools.count == 2)
        for pool in pools {
            #expect(pool["apiVersion"]?.string == "crd.antrea.io/\(version)")
            #expect(schema.violations(pool) == [], "\(pool["metadata"]?["name"]?.string ?? "?")")
        }
        // The pool without ranges takes its prefix less network, gateway and broadcast.
        let whole = try #require(pools.first { $0["metadata"]?["name"]?.string == "whole" })
        #expect(
            whole["spec"]?["ipRanges"]?.sequence?.map { "\($0["start"]?.string ?? "")-\($0["end"]?.string ?? "")" } == [
                "10.31.0.2-10.31.0.254"
            ])
        let cidr = try #require(pools.first { $0["metadata"]?["name"]?.string == "cidr" })
        #expect(
            cidr["spec"]?["ipRanges"]?.sequence?.compactMap { $0["cidr"]?.string } == [
                "10.30.0.0/26", "10.30.0.128/26",
            ])
    }

    @Test func everyGoldenIPPoolMatchesTheCRDSchema() throws {
        let files = Self.goldenFiles().filter { $0.lastPathComponent == "ippools.yaml" }
        #expect(files.count >= 3)
        for file in files {
            for pool in try Yams.compose_all(yaml: String(contentsOf: file, encoding: .utf8)) {
                let version = try #require(pool["apiVersion"]?.string?.split(separator: "/").last.map(String.init))
                #expect(try Self.crdSchema(version).violations(pool) == [], "\(file.path)")
            }
        }
    }

    /// The validator must refuse what the API server would, or the tests above prove nothing.
    @Test func theSchemaRefusesBrokenPools() throws {
        let beta = try Self.crdSchema("v1beta1")
        let alpha = try Self.crdSchema("v1alpha2")
        func pool(_ spec: String) throws -> Node {
            try #require(
                try Yams.compose(
                    yaml: "apiVersion: \"crd.antrea.io/v1beta1\"\nkind: \"IPPool\"\nmetadata: {name: \"p\"}\nspec:\n"
                        + spec))
        }
        let good =
            "  ipRanges: [{start: \"10.0.0.2\", end: \"10.0.0.9\"}]\n  subnetInfo: {gateway: \"10.0.0.1\", prefixLength: 24, vlan: 19}\n"
        #expect(beta.violations(try pool(good)) == [])
        for broken in [
            // no gateway
            "  ipRanges: [{start: \"10.0.0.2\", end: \"10.0.0.9\"}]\n  subnetInfo: {prefixLength: 24}\n",
            // too long
            "  ipRanges: [{start: \"10.0.0.2\", end: \"10.0.0.9\"}]\n  subnetInfo: {gateway: \"10.0.0.1\", prefixLength: 128}\n",
            // both forms
            "  ipRanges: [{start: \"10.0.0.2\", end: \"10.0.0.9\", cidr: \"10.0.0.0/28\"}]\n  subnetInfo: {gateway: \"10.0.0.1\", prefixLength: 24}\n",
            // no end
            "  ipRanges: [{start: \"10.0.0.2\"}]\n  subnetInfo: {gateway: \"10.0.0.1\", prefixLength: 24}\n",
            // bad IPv4
            "  ipRanges: [{start: \"10.0.0.256\", end: \"10.0.0.9\"}]\n  subnetInfo: {gateway: \"10.0.0.1\", prefixLength: 24}\n",
            // bad CIDR
            "  ipRanges: [{cidr: \"10.0.0.0/33\"}]\n  subnetInfo: {gateway: \"10.0.0.1\", prefixLength: 24}\n",
            // a string
            "  ipRanges: [{cidr: \"10.0.0.0/28\"}]\n  subnetInfo: {gateway: \"10.0.0.1\", prefixLength: \"24\"}\n",
            // VLAN
            "  ipRanges: [{cidr: \"10.0.0.0/28\"}]\n  subnetInfo: {gateway: \"10.0.0.1\", prefixLength: 24, vlan: 4095}\n",
            // pruned
            "  ipRanges: [{cidr: \"10.0.0.0/28\"}]\n  subnetInfo: {gateway: \"10.0.0.1\", prefixLength: 24}\n  ipVersion: 4\n",
        ] {
            #expect(!beta.violations(try pool(broken)).isEmpty, "\(broken)")
        }
        #expect(!alpha.violations(try pool(good)).isEmpty, "v1alpha2 needs ipVersion and the subnet on each range")
        #expect(
            !alpha.violations(
                try pool(
                    "  ipVersion: 5\n  ipRanges: [{cidr: \"10.0.0.0/28\", gateway: \"10.0.0.1\", prefixLength: 24}]\n")
            ).isEmpty)
    }

    /// A YAML 1.1 reader gets back every string as the same string, including
    /// names YAML 1.1 would read as booleans, numbers or null if left bare.
    @Test(.enabled(if: ToolRunner.available(python), "python3-yaml is not installed: run scripts/test"))
    func aYAML11ReaderGetsEveryStringBack() throws {
        let tricky = ["no", "on", "yes", "off", "y", "n", "null", "0100", "1e3", "0x1f", "12-30", "true"]
        var source = "fabric t { antrea-version v1alpha2 }\n"
        for (k, name) in tricky.enumerated() {
            source += "pool p\(k) { prefix 10.\(k).0.0/24; range 10.\(k).0.10..10.\(k).0.20; gateway 10.\(k).0.1 }\n"
            source += "namespace \"\(name)\" { pool p\(k) }\n"
        }
        source += "pod \"on\" { namespace \"no\"; ip 10.0.0.11 }\n"
        let (files, diagnostics) = Self.build(source)
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics.map(\.message))")
        #expect(files.count == 4)
        let reader = "import json, sys, yaml\nprint(json.dumps(list(yaml.safe_load_all(sys.stdin))))"
        for (path, text) in files.sorted(by: { $0.key < $1.key }) {
            try withScratchFile(text) { file in
                let (ok, output) = try ToolRunner.run(
                    "/bin/sh", ["-c", "\(Self.python) -c \"$1\" < \"$2\"", "sh", reader, file.path])
                #expect(ok, "\(path): \(output)")
                let loaded = try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [Any] ?? []
                let expected = try Array(Yams.compose_all(yaml: text))
                #expect(loaded.count == expected.count, "\(path)")
                for (document, node) in zip(loaded, expected) {
                    #expect(Self.sameAsWritten(document, node), "\(path): \(document)")
                }
            }
        }
        let namespaces = files["antrea/namespaces.yaml"] ?? ""
        for name in tricky { #expect(namespaces.contains("name: \"\(name)\"\n"), "\(name) is double-quoted") }
    }

    /// The core documents are judged by the Kubernetes API schemas
    /// (kubernetes-validate, offline, strict: no unknown field).
    static let kubernetesValidate = PackageRoot.url.appendingPathComponent(".build/test-tools/bin/kubernetes-validate")
        .path

    @Test(
        .enabled(if: ToolRunner.available(kubernetesValidate), "kubernetes-validate is not installed: run scripts/test")
    )
    func everyGoldenNamespaceMatchesTheKubernetesSchema() throws {
        let files = Self.goldenFiles().filter { $0.lastPathComponent == "namespaces.yaml" }
        #expect(files.count >= 4)
        for file in files {
            let (ok, output) = try ToolRunner.run(Self.kubernetesValidate, ["--strict", "--quiet", file.path])
            #expect(ok && !output.contains("WARN"), "\(file.path): \(output)")
        }
        // And it does refuse a broken one.
        try withScratchFile("apiVersion: v1\nkind: Namespace\nmetadata:\n  name: \"ns\"\n  labels: \"not a map\"\n") {
            file in
            let (ok, output) = try ToolRunner.run(Self.kubernetesValidate, ["--strict", "--quiet", file.path])
            #expect(!ok, "kubernetes-validate accepted a broken Namespace: \(output)")
        }
    }

    /// The pod annotations and the Helm values read back by a YAML 1.1
    /// reader: the annotations file is no Kubernetes object (kubectl refuses
    /// it), the values are the chart's keys with their types.
    @Test(.enabled(if: ToolRunner.available(python), "python3-yaml is not installed: run scripts/test"))
    func podAnnotationsAreNoManifestAndValuesAreTheChartsKeys() throws {
        let reader = "import json, sys, yaml\nprint(json.dumps(list(yaml.safe_load_all(sys.stdin))))"
        func load(_ url: URL) throws -> [Any] {
            let (ok, output) = try ToolRunner.run(
                "/bin/sh", ["-c", "\(Self.python) -c \"$1\" < \"$2\"", "sh", reader, url.path])
            #expect(ok, "\(url.path): \(output)")
            return try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [Any] ?? []
        }
        let annotations = Self.goldenFiles().filter { $0.lastPathComponent == "pod-annotations.yaml" }
        #expect(annotations.count >= 3)
        for file in annotations {
            let documents = try load(file)
            #expect(documents.count <= 1, "\(file.path)")
            guard let namespaces = documents.first as? [String: Any] else { continue }
            #expect(namespaces["apiVersion"] == nil && namespaces["kind"] == nil, "\(file.path) looks like a manifest")
            for case (let namespace, let pods as [String: Any]) in namespaces {
                for case (let pod, let keys as [String: Any]) in pods {
                    #expect(
                        !keys.isEmpty && keys.keys.allSatisfy { $0.hasPrefix("ipam.antrea.io/") }, "\(namespace)/\(pod)"
                    )
                    #expect(
                        keys.values.allSatisfy { $0 is String }, "\(namespace)/\(pod): annotation values are strings")
                }
            }
        }
        let values = Self.goldenFiles().filter { $0.lastPathComponent == "values.yaml" }
        #expect(values.count >= 3)
        for file in values {
            let documents = try load(file)
            let root = try #require(documents.first as? [String: Any], "\(file.path)")
            #expect(documents.count == 1)
            #expect((root["featureGates"] as? [String: Any])?["AntreaIPAM"] as? Bool == true)
            #expect(root["trafficEncapMode"] as? String == "noEncap")
            #expect(root["noSNAT"] as? Bool == true && root["enableBridgingMode"] as? Bool == true)
            #expect(Set(root.keys) == ["featureGates", "trafficEncapMode", "noSNAT", "enableBridgingMode"])
        }
    }

    /// Whether PyYAML's reading matches how each scalar was written: a
    /// double-quoted or literal scalar as that string, a plain one as the
    /// integer or boolean it spells.
    static func sameAsWritten(_ value: Any, _ node: Node) -> Bool {
        switch node {
        case .scalar(let s):
            switch s.style {
            case .doubleQuoted, .literal: return (value as? String) == s.string
            default:
                if let b = node.bool, ["true", "false"].contains(s.string) {
                    return (value as? Bool) == b && !(value is String)
                }
                if let i = node.int { return (value as? Int) == i && !(value is String) }
                return false  // a plain scalar that is neither: fabricc never writes one
            }
        case .mapping(let m):
            guard let dict = value as? [String: Any], dict.count == m.count else { return false }
            return m.allSatisfy { key, child in
                key.string.flatMap { dict[$0] }.map { sameAsWritten($0, child) } ?? false
            }
        case .sequence(let q):
            guard let list = value as? [Any], list.count == q.count else { return false }
            return zip(list, q).allSatisfy { sameAsWritten($0, $1) }
        case .alias:
            return false
        }
    }

    @Test func theOneQuotingFunctionSurvivesHostileStrings() throws {
        for value in [
            "no", "0100", "a: b", "- x", "# c", "\"q\"", "back\\slash", "tab\there", "line\nbreak", "ünï ✓", "",
            " lead", "trail ", "{x}", "[y]", "&a", "*b", "!t", "%p", "@at", "`tick`",
        ] {
            let text = try Yams.serialize(
                node: KubernetesYAML.map([("v", KubernetesYAML.string(value))]), width: -1, allowUnicode: true)
            #expect(text.hasPrefix("v: \""), "\(value.debugDescription) -> \(text)")
            let back = try Yams.compose(yaml: text)
            #expect(back?["v"]?.string == value && back?["v"]?.scalar?.style == .doubleQuoted)
        }
    }

    @Test func aPoolWithoutAGatewayIsRefused() {
        let (files, diagnostics) = Self.build("pool p { prefix 10.0.0.0/24 }\nnamespace ns { pool p }\n")
        #expect(files.isEmpty)
        #expect(diagnostics.map(\.code.id) == ["FAB7401"])
    }

    @Test func noNamespaceOrPodWritesNothing() {
        let (files, diagnostics) = Self.build("pool p { prefix 10.0.0.0/24 }\n")
        #expect(files.isEmpty && diagnostics.allSatisfy { $0.severity != .error })
    }

    // MARK: --previous

    static let s3 = """
        pool pool-ap { prefix 172.16.19.0/24; range 172.16.19.11..172.16.19.50; gateway 172.16.19.254; vlan 19 }
        namespace ns-ap { pool pool-ap }
        """

    @Test func addingARangeIsFineChangingOneIsNot() throws {
        let (first, _) = Self.build(Self.s3)
        let previous = ["antrea/ippools.yaml": try #require(first["antrea/ippools.yaml"])]
        // Unchanged, and a range added: fine.
        #expect(Self.build(Self.s3, previous: previous).diagnostics.isEmpty)
        let grown = Self.s3.replacingOccurrences(
            of: "range 172.16.19.11..172.16.19.50;",
            with: "range 172.16.19.11..172.16.19.50; range 172.16.19.60..172.16.19.70;")
        #expect(Self.build(grown, previous: previous).diagnostics.isEmpty)
        // Altered range, moved gateway, other prefix length: refused.
        for changed in [
            Self.s3.replacingOccurrences(of: "172.16.19.50", with: "172.16.19.40"),
            Self.s3.replacingOccurrences(of: "gateway 172.16.19.254", with: "gateway 172.16.19.1"),
            Self.s3.replacingOccurrences(of: "prefix 172.16.19.0/24", with: "prefix 172.16.16.0/22"),
        ] {
            let (files, diagnostics) = Self.build(changed, previous: previous)
            #expect(diagnostics.map(\.code.id) == ["FAB7402"], "\(diagnostics.map(\.message))")
            #expect(files.isEmpty, "nothing is written")
            let (allowed, warned) = Self.build(changed, previous: previous, allowBreaking: true)
            #expect(warned.map(\.severity) == [.warning] && !allowed.isEmpty)
        }
        // The same pool in the other API version compares equal.
        let alpha = "fabric t { antrea-version v1alpha2 }\n" + Self.s3
        #expect(Self.build(alpha, previous: previous).diagnostics.isEmpty)
        let (_, unreadable) = Self.build(Self.s3, previous: ["antrea/ippools.yaml": "kind: IPPool\nspec: [\n"])
        #expect(unreadable.map(\.code.id) == ["FAB7403"])
    }
}

func withScratchFile(_ text: String, _ body: (URL) throws -> Void) throws {
    let url = FileManager.default.temporaryDirectory.appendingPathComponent("fabricc-yaml-\(UUID().uuidString).yaml")
    try text.write(to: url, atomically: true, encoding: .utf8)
    defer { try? FileManager.default.removeItem(at: url) }
    try body(url)
}
