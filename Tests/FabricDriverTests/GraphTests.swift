import FabricBackends
import FabricDiagnostics
import FabricDriver
import FabricSema
import FabricSyntax
import FabricTestSupport
import Foundation
import Testing

/// `fabricc graph` and the docs backend's picture: DOT that Graphviz reads,
/// one edge per session and one node per speaker, every bridge and port in
/// the L2 view, big fabrics collapsed with exact counts, hostile text kept
/// inside its quotes, and the README's picture current.
@Suite struct GraphTests {
    static let dot = "/usr/bin/dot"
    static var update: Bool { ProcessInfo.processInfo.environment["FABRICC_UPDATE_GOLDEN"] == "1" }

    static func examples() throws -> [(name: String, ir: FabricIR)] {
        let dir = PackageRoot.url.appendingPathComponent("examples")
        return try FileManager.default.contentsOfDirectory(atPath: dir.path).filter { $0.hasSuffix(".fab") }.sorted()
            .map { file in
                let result = Driver.check(dir.appendingPathComponent(file).path)
                return (String(file.dropLast(4)), try #require(result.ir, "\(file) has errors"))
            }
    }

    static func edges(_ dot: String) -> [String] {
        dot.split(separator: "\n").map(String.init).filter { $0.contains("\" -- \"") }
    }
    static func nodeIDs(_ dot: String) -> Set<String> {
        Set(
            dot.split(separator: "\n").compactMap { line -> String? in
                guard !line.contains("\" -- \""), let m = line.firstMatch(of: /^\s+"((?:[^"\\]|\\.)*)" \[/) else {
                    return nil
                }
                return String(m.1)
            })
    }

    /// The DOT of every example and view is committed (`Golden/graph/`).
    @Test func everyViewOfEveryExampleIsGolden() throws {
        var failures: [String] = []
        for (name, ir) in try Self.examples() {
            for view in FabricPicture.View.allCases {
                let text = FabricPicture.graph(ir, view: view).render()
                let url = PackageRoot.url.appendingPathComponent("Golden/graph/\(name).\(view.rawValue).dot")
                let committed = try? String(contentsOf: url, encoding: .utf8)
                guard committed != text else { continue }
                if Self.update {
                    try FileManager.default.createDirectory(
                        at: url.deletingLastPathComponent(), withIntermediateDirectories: true)
                    try text.write(to: url, atomically: true, encoding: .utf8)
                }
                failures.append("Golden/graph/\(name).\(view.rawValue).dot \(Self.update ? "rewritten" : "differs")")
            }
        }
        #expect(failures.isEmpty, "\(failures)")
    }

    @Test(.enabled(if: ToolRunner.available(dot), "graphviz is not installed: run scripts/test"))
    func graphvizReadsEveryView() throws {
        for (name, ir) in try Self.examples() {
            for view in FabricPicture.View.allCases {
                let svg = try Graphviz.render(FabricPicture.graph(ir, view: view).render(), format: "svg")
                #expect(String(decoding: svg, as: UTF8.self).contains("<svg"), "\(name) \(view)")
            }
        }
    }

    @Test func oneEdgePerSessionAndOneNodePerSpeaker() throws {
        for (name, ir) in try Self.examples() {
            let text = FabricPicture.graph(ir, view: .bgp).render()
            #expect(Self.edges(text).count == ir.sessions.count, "\(name)")
            let speakers = Set(ir.sessions.flatMap { [$0.a, $0.b] }.map { "\($0.kind):\($0.name)" })
            #expect(Self.nodeIDs(text) == speakers, "\(name)")
        }
    }

    @Test func theL2ViewHasEveryBridgeAndPort() throws {
        for (name, ir) in try Self.examples() {
            let ids = Self.nodeIDs(FabricPicture.graph(ir, view: .l2).render())
            for h in ir.hosts {
                for b in h.linuxBridges {
                    #expect(ids.contains("br:\(h.name):\(b.name)"), "\(name) \(h.name) \(b.name)")
                }
                for b in h.ovsBridges {
                    #expect(ids.contains("ovs:\(h.name):\(b.name)"), "\(name) \(b.name)")
                    for p in b.ports {
                        #expect(ids.contains("port:\(h.name):\(b.name):\(p.name)"), "\(name) \(p.name)")
                    }
                }
                for s in h.vswitches {
                    #expect(ids.contains("vsw:\(h.name):\(s.name)"))
                    for g in s.portGroups {
                        #expect(ids.contains("pg:\(h.name):\(s.name):\(g.name)"), "\(name) \(g.name)")
                    }
                }
                for v in h.veths {
                    #expect(ids.contains("if:\(h.name):\(v.name)") && ids.contains("if:\(h.name):\(v.peer.value)"))
                }
            }
        }
    }

    /// 1000 hosts in two clusters: one node per cluster with exact counts,
    /// and edges that add up to every session.
    @Test func aThousandHostsCollapseWithExactCounts() throws {
        var text = "fabric big {\n    asn 65100\n}\n"
        text += "cluster a {\n    cluster-id 10.9.0.1\n}\ncluster b {\n    cluster-id 10.9.0.2\n}\n"
        for r in 1...4 { text += "reflector rr\(r) {\n    address 10.9.1.\(r)\n    cluster \(r <= 2 ? "a" : "b")\n}\n" }
        text += "for i in 1..1000 {\n    host \"kvm${i}\" {\n        address 10.8.0.0 + i\n"
        text += "        cluster a\n    }\n}\n"
        text = text.replacingOccurrences(of: "for i in 1..1000", with: "for i in 1..600")
        text +=
            "for i in 601..1000 {\n    host \"kvm${i}\" {\n        address 10.8.0.0 + i\n        cluster b\n    }\n}\n"
        let result = Driver.check(
            "big.fab", provider: MemorySourceProvider(files: ["/p/big.fab": text], workingDirectory: "/p"))
        let ir = try #require(result.ir, "\(result.diagnostics.map(\.message))")
        let dot = FabricPicture.graph(ir, view: .bgp).render()
        #expect(dot.contains("label=\"kvm1…kvm600\\n600 hosts, 1200 sessions\\nAS 65100\""), "\(dot)")
        #expect(dot.contains("label=\"kvm601…kvm1000\\n400 hosts, 800 sessions\\nAS 65100\""))
        let counts = Self.edges(dot).compactMap {
            $0.firstMatch(of: /label="(\d+) iBGP client sessions/).map { Int($0.1)! }
        }
        #expect(counts.sorted() == [400, 400, 600, 600])
        #expect(counts.reduce(0, +) + 2 == ir.sessions.count)  // and the two reflector meshes
        #expect(Self.nodeIDs(dot).count == 6 && dot.utf8.count < 4000, "\(dot.utf8.count) bytes")
        // The L2 view draws the 1000 hosts, wired alike, once.
        let l2 = FabricPicture.graph(ir, view: .l2).render()
        #expect(l2.contains("kvm1…kvm1000 (kvm): 1000 hosts wired alike, drawn once"), "\(l2)")
        #expect(l2.utf8.count < 2000)
        // Told to keep them apart, it draws every host.
        #expect(Self.nodeIDs(FabricPicture.graph(ir, view: .bgp, collapseAbove: 2000).render()).count == 1004)
    }

    @Test(.enabled(if: ToolRunner.available(dot), "graphviz is not installed: run scripts/test"))
    func hostileTextStaysInItsQuotes() throws {
        let hostile = "a\"b\\c\n}; \"x\" -- \"y\" [color=red]; <b>&amp;"
        #expect(DOT.quoted(hostile) == "\"a\\\"b\\\\c }; \\\"x\\\" -- \\\"y\\\" [color=red]; <b>&amp;amp;\"")
        var g = DOTGraph(name: hostile, label: hostile)
        g.nodes = [.init(id: hostile, label: [hostile, "second line"]), .init(id: "y", label: ["y"])]
        g.edges = [.init(from: hostile, to: "y", label: [hostile])]
        let svg = String(decoding: try Graphviz.render(g.render(), format: "svg"), as: UTF8.self)
        #expect(svg.components(separatedBy: "<g id=\"node").count - 1 == 2, "one node per node, no node `x`")
        #expect(svg.components(separatedBy: "<g id=\"edge").count - 1 == 1)
        #expect(
            svg.contains("a&quot;b\\c }; &quot;x&quot; &#45;&#45; &quot;y&quot; [color=red]; &lt;b&gt;&amp;amp;"),
            "\(svg)")
    }

    /// The README's picture: S5's BGP view, as Graphviz draws it now.
    @Test(.enabled(if: ToolRunner.available(dot), "graphviz is not installed: run scripts/test"))
    func theReadmePictureIsCurrent() throws {
        let ir = try #require(try Self.examples().first { $0.name == "s5-ip-fabric" }?.ir)
        let svg = String(
            decoding: try Graphviz.render(FabricPicture.graph(ir, view: .bgp).render(), format: "svg"), as: UTF8.self)
        let url = PackageRoot.url.appendingPathComponent("docs/s5-bgp.svg")
        let committed = try? String(contentsOf: url, encoding: .utf8)
        if committed != svg, Self.update { try svg.write(to: url, atomically: true, encoding: .utf8) }
        #expect(committed == svg, "docs/s5-bgp.svg is stale: FABRICC_UPDATE_GOLDEN=1 swift test --filter GraphTests")
        let readme = try String(contentsOf: PackageRoot.url.appendingPathComponent("README.md"), encoding: .utf8)
        #expect(readme.contains("(docs/s5-bgp.svg)"))
    }

    @Test func theCommandWritesDOTAndSaysWhenGraphvizIsMissing() throws {
        try withFiles(["README": "scratch\n"]) { dir in
            let s5 = PackageRoot.url.appendingPathComponent("examples/s5-ip-fabric.fab").path
            let stdout = try CLI.run(["graph", s5, "--view", "l2"], in: dir)
            #expect(stdout.status == 0 && stdout.stdout.hasPrefix("graph \"s5 L2\" {"), "\(stdout.stderr)")
            let dotFile = try CLI.run(["graph", s5, "-o", "s5.dot"], in: dir)
            #expect(dotFile.status == 0)
            #expect(
                (try? String(contentsOf: dir.appendingPathComponent("s5.dot"), encoding: .utf8))
                    == FabricPicture.graph(try #require(Driver.check(s5).ir), view: .bgp).render())
            let missing = try CLI.run(["graph", s5, "-o", "s5.svg"], in: dir, environment: ["PATH": "/nonexistent"])
            #expect(
                missing.status == 1 && missing.stderr.contains("Graphviz's `dot` is not installed"), "\(missing.stderr)"
            )
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("s5.svg").path))
            #expect(try CLI.run(["graph", s5, "--view", "l3"], in: dir).status == 64)
            #expect(try CLI.run(["graph", s5, "-o", "s5.gif"], in: dir).status == 64)
            if ToolRunner.available(Self.dot) {
                let svg = try CLI.run(["graph", s5, "--view", "all", "-o", "s5.svg"], in: dir)
                #expect(svg.status == 0, "\(svg.stderr)")
                let text = try String(contentsOf: dir.appendingPathComponent("s5.svg"), encoding: .utf8)
                #expect(text.contains("<svg") && text.contains("rr1"))
            }
        }
    }
}
