import FabricDiagnostics
import FabricDriver
import FabricSema
import FabricSyntax
import Foundation
import Testing

@testable import FabricBackends

struct JunosBackendTests {
    /// Builds `source` with the Junos backend; the files by path.
    static func build(_ source: String, environment: [String: String] = ["PW": "s3cret"]) -> (
        files: [String: String], diagnostics: [Diagnostic]
    ) {
        let result = Driver.build(
            "main.fab", options: BuildOptions(backends: ["junos"], environment: environment, writeSecrets: true),
            provider: MemorySourceProvider(files: ["/project/main.fab": source]))
        // The secrets overlay as `--secrets DIR` gets it, under `secrets/`.
        return (
            Dictionary(
                uniqueKeysWithValues: result.files.map { ($0.path, $0.contents) }
                    + result.secretFiles.map { ("secrets/" + $0.path, $0.contents) }),
            result.diagnostics
        )
    }

    /// The checked model of `source`; nil when it has errors.
    static func ir(_ source: String) -> FabricIR? {
        Driver.check("main.fab", provider: MemorySourceProvider(files: ["/project/main.fab": source])).ir
    }

    static let base = """
        secret pw { env "PW" }
        fabric f1 { asn 65100; password pw }
        pool public { prefix 203.0.113.0/24; range 203.0.113.10..203.0.113.250; announce host-routes }
        pool agg { prefix 198.51.100.0/24; announce aggregate }
        pool any { prefix 192.0.2.0/24 }
        pool v6 { prefix 2001:db8:1::/64; range 2001:db8:1::10..2001:db8:1::ff; announce host-routes }
        pool pods { prefix 10.244.0.0/16 }
        cluster a { cluster-id 10.0.0.10 }

        """

    /// Intents covering each shape the backend writes.
    static let intents: [String: String] = [
        "one reflector": base + """
            router mx1 { platform junos; asn 65000; address 10.0.0.254; accept public; aggregate 203.0.113.0/24 }
            reflector rr1 { address 10.0.0.11; cluster a; upstream mx1 }
            host kvm1 { address 10.0.0.21; cluster a; pools public; vm v1 { ip 203.0.113.11 } }
            """,
        "several pools, multihop, router-id": base + """
            router mx1 { platform junos; asn 65000; address 10.1.0.254; router-id 10.255.0.1; multihop 3; prefix-limit 100
                         accept public, agg, any, v6; aggregate 203.0.113.0/24; aggregate 2001:db8::/32 }
            reflector rr1 { address 10.0.0.11; cluster a; upstream mx1; description "first \\"RR\\"; } { #" }
            reflector rr2 { address 10.0.0.12; cluster a; upstream mx1 }
            host kvm1 { address 10.0.0.21; cluster a; pools public, agg, any; import default; vm v1 { ip 203.0.113.11 } }
            """,
        "empty accept list": base + """
            router mx1 { platform junos; asn 65000; address 10.0.0.254 }
            reflector rr1 { address 10.0.0.11; cluster a; upstream mx1 }
            host kvm1 { address 10.0.0.21; cluster a; pools public; vm v1 { ip 203.0.113.11 } }
            """,
        "iBGP and per-neighbor keys": base + """
            secret other { env "OTHER" }
            router mx1 { platform junos; asn 65100; address 10.0.0.254; peering internal; accept public }
            reflector rr1 { address 10.0.0.11; cluster a; upstream mx1 }
            reflector rr2 { address 10.0.0.12; cluster a; upstream mx1; password other }
            host kvm1 { address 10.0.0.21; cluster a; pools public; vm v1 { ip 203.0.113.11 } }
            """,
        "leaf with nodes": base + """
            router leaf1 { platform junos; role leaf; asn 65201; address 10.20.1.252; accept pods; aggregate 10.244.0.0/16 }
            host n1 { platform linux; asn 65203; address 10.20.1.11; peers leaf1; pod-blocks 10.244.1.0/26, 10.244.1.64/26; description "rack 1" }
            host n2 { platform linux; asn 65204; address 10.20.1.12; peers leaf1; pod-blocks 10.244.2.0/26 }
            """,
    ]

    static func forms(_ files: [String: String], _ router: String) throws -> [JunosStatements] {
        let base = "junos/\(router)"
        guard let conf = files[base + ".conf"], let set = files[base + ".set"], let xml = files[base + ".xml"] else {
            Issue.record("missing forms of \(router): \(files.keys.sorted())")
            return []
        }
        return [try .text(conf), try .set(set), try .xml(xml)]
    }

    @Test(arguments: intents.keys.sorted())
    func theThreeFormsSayTheSame(_ name: String) throws {
        let (files, diagnostics) = Self.build(
            Self.intents[name]!, environment: ["PW": "s3cret", "OTHER": "an\"other\\key"])
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics.map(\.message))")
        let router = name == "leaf with nodes" ? "leaf1" : "mx1"
        let forms = try Self.forms(files, router)
        guard forms.count == 3 else { return }
        #expect(forms[0].statements.count > 5)
        #expect(forms[1] == forms[0], "set form differs:\n\(forms[1])\n---\n\(forms[0])")
        #expect(forms[2] == forms[0], "XML form differs:\n\(forms[2])\n---\n\(forms[0])")
        // The secrets overlay too, when there is one: three forms, one
        // content, nothing but keys, nothing replaced.
        let overlay = files.filter { $0.key.hasPrefix("secrets/") }
        guard !overlay.isEmpty else { return }
        let keys = try Self.forms(
            Dictionary(
                uniqueKeysWithValues: overlay.map {
                    (
                        String($0.key.dropFirst("secrets/".count)).replacingOccurrences(of: ".secrets", with: ""),
                        $0.value
                    )
                }), router)
        guard keys.count == 3 else { return }
        #expect(!keys[0].statements.isEmpty && keys[0].replaced.isEmpty)
        #expect(
            keys[0].statements.allSatisfy { $0.count >= 2 && $0[$0.count - 2] == "authentication-key" }, "\(keys[0])")
        #expect(keys[1] == keys[0], "set form of the overlay differs:\n\(keys[1])\n---\n\(keys[0])")
        #expect(keys[2] == keys[0], "XML form of the overlay differs:\n\(keys[2])\n---\n\(keys[0])")
        // Every key is for a group or neighbor the configuration has.
        let groups = Set(
            forms[0].statements.filter { $0.starts(with: ["protocols", "bgp", "group"]) }.map { Array($0.prefix(4)) })
        #expect(keys[0].statements.allSatisfy { groups.contains(Array($0.prefix(4))) })
    }

    /// Every policy-statement's last term is an unconditional reject.
    @Test(arguments: intents.keys.sorted())
    func everyPolicyEndsInReject(_ name: String) throws {
        let (files, _) = Self.build(Self.intents[name]!, environment: ["PW": "s3cret", "OTHER": "k"])
        let router = name == "leaf with nodes" ? "leaf1" : "mx1"
        let statements = try Self.forms(files, router).first?.statements ?? []
        var terms: [String: [String]] = [:]
        var order: [String: [String]] = [:]
        for s in statements
        where s.count >= 6 && s[0] == "policy-options" && s[1] == "policy-statement" && s[3] == "term" {
            if order[s[2], default: []].last != s[4] { order[s[2], default: []].append(s[4]) }
            terms["\(s[2]) \(s[4])", default: []].append(s.dropFirst(5).joined(separator: " "))
        }
        #expect(order.count >= 2)
        for (policy, names) in order {
            #expect(terms["\(policy) \(names.last!)"] == ["then reject"], "\(policy) ends in \(names.last!)")
            #expect(names.dropLast().allSatisfy { terms["\(policy) \($0)"]!.contains("then accept") })
        }
    }

    /// Reflectors pass on host routes whatever `announce` says; only an
    /// unset `announce` widens the filter to any prefix inside the pool.
    @Test func reflectorsHostRoutesAreAccepted() throws {
        let (files, _) = Self.build(Self.intents["several pools, multihop, router-id"]!, environment: ["PW": "k"])
        let set = files["junos/mx1.set"] ?? ""
        let policy = "set policy-options policy-statement f1-reflectors-external-import"
        #expect(
            set.contains("\(policy) term pool-public from route-filter 203.0.113.10/31 prefix-length-range /32-/32\n"))
        #expect(
            set.contains("\(policy) term pool-public from route-filter 203.0.113.250/32 exact\n"),
            "a /32 of the cover is itself the host route")
        #expect(!set.contains("route-filter 203.0.113.0/24 prefix-length-range"), "the range, not the whole prefix")
        // A pool without ranges hands out its prefix less the network,
        // broadcast and gateway addresses: exactly those /32s pass.
        #expect(
            set.contains("\(policy) term pool-agg from route-filter 198.51.100.2/31 prefix-length-range /32-/32\n"),
            "`announce aggregate` is the router's own announcement upstream; the reflectors still send /32s")
        #expect(set.contains("\(policy) term pool-agg from route-filter 198.51.100.254/32 exact\n"))
        #expect(
            !set.contains("198.51.100.0/24 prefix-length-range"), "the network and broadcast /32s are never handed out")
        #expect(!set.contains("prefix-list"), "no policy would refer to a prefix-list")
        #expect(set.contains("\(policy) term pool-any from route-filter 192.0.2.0/24 upto /32\n"))
        #expect(
            set.contains("\(policy) term pool-v6 from route-filter 2001:db8:1::10/124 prefix-length-range /128-/128\n"))
        // Limits: the explicit 100 is below what the pools hold.
        #expect(set.contains("family inet unicast accepted-prefix-limit maximum 100\n"))
        #expect(set.contains("family inet6 unicast accepted-prefix-limit maximum 100\n"))
        #expect(set.contains("set protocols bgp group f1-reflectors-external multihop ttl 3\n"))
        #expect(set.contains("set routing-options router-id 10.255.0.1\n"))
        #expect(set.contains("set routing-options rib inet6.0 aggregate route 2001:db8::/32\n"))
        // kvm1 takes the default route through its reflectors.
        #expect(
            set.contains(
                "set policy-options policy-statement f1-reflectors-external-export term default-route from route-filter 0.0.0.0/0 exact\n"
            ))
    }

    /// A leaf takes exactly its nodes' pod blocks, however the pool is announced.
    @Test func leavesAcceptExactlyThePodBlocks() throws {
        let intent = Self.intents["leaf with nodes"]!.replacingOccurrences(
            of: "pool pods { prefix 10.244.0.0/16 }", with: "pool pods { prefix 10.244.0.0/16; announce host-routes }")
        let (files, diagnostics) = Self.build(intent)
        #expect(!diagnostics.contains { $0.code.id.hasPrefix("FAB72") }, "\(diagnostics.map(\.message))")
        let set = files["junos/leaf1.set"] ?? ""
        let filters = set.split(separator: "\n").filter { $0.contains("f1-nodes-external-import term pool-pods from") }
        #expect(
            filters == [
                "set policy-options policy-statement f1-nodes-external-import term pool-pods from route-filter 10.244.1.0/26 exact",
                "set policy-options policy-statement f1-nodes-external-import term pool-pods from route-filter 10.244.1.64/26 exact",
                "set policy-options policy-statement f1-nodes-external-import term pool-pods from route-filter 10.244.2.0/26 exact",
            ])
        #expect(
            set.contains(
                "set protocols bgp group f1-nodes-external family inet unicast accepted-prefix-limit maximum 2\n"))
    }

    @Test func aPodBlockOutsideTheAcceptedPoolsIsReported() throws {
        let intent = Self.intents["leaf with nodes"]!.replacingOccurrences(
            of: "pod-blocks 10.244.2.0/26", with: "pod-blocks 10.244.2.0/26, 172.16.0.0/24")
        let (files, diagnostics) = Self.build(intent)
        let junos = diagnostics.filter { $0.code.id.hasPrefix("FAB72") }
        #expect(junos.map(\.code.id) == ["FAB7203"])
        #expect(junos.first?.message == "router `leaf1` rejects pod block 172.16.0.0/24 of node `n2`")
        #expect(
            files["junos/leaf1.set"].map { !$0.contains("172.16.0.0") } == true, "a warning; the block stays rejected")
    }

    /// The group is named after its type even when alone, so a change of
    /// peering never renames it and strands the old one on the router.
    @Test func groupNamesDoNotDependOnTheOtherPeers() throws {
        let ebgp = Self.build(Self.intents["one reflector"]!).files["junos/mx1.set"] ?? ""
        #expect(ebgp.contains("delete protocols bgp group f1-reflectors-external\n"))
        let mixed =
            Self.intents["one reflector"]!
            + "\ncluster b { cluster-id 10.0.0.20 }\nreflector rr9 { address 10.0.0.19; cluster b; asn 65000; upstream mx1 }\n"
        let (files, diagnostics) = Self.build(mixed)
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics.map(\.message))")
        let set = files["junos/mx1.set"] ?? ""
        #expect(set.contains("delete protocols bgp group f1-reflectors-external\n"))
        #expect(set.contains("delete protocols bgp group f1-reflectors-internal\n"))
    }

    @Test func routeCountsSaturate() throws {
        let ir = try #require(
            Self.ir(
                Self.base
                    + "pool huge { prefix 2001:dba::/32; range 2001:dba::..2001:dba:0:ffff:ffff:ffff:ffff:ffff; range 2001:dba:1::..2001:dba:ffff:ffff:ffff:ffff:ffff:ffff; announce host-routes }\n"
            ))
        let huge = try #require(ir.pools.first { $0.name == "huge" })
        #expect(JunosModelBuilder.routeCount(huge) == UInt128(1) << 96)
        #expect(JunosModelBuilder.saturatingSum(UInt128.max - 1, 5) == UInt128.max)
        let any = try #require(
            Self.ir("fabric f1 { asn 65100 }\npool all6 { prefix ::/0 }\n")?.pools.first { $0.name == "all6" })
        #expect(JunosModelBuilder.routeCount(any) == UInt128.max)
    }

    /// Literal Junos XML, independent of the test's reader (whose element
    /// names mirror the generator's and would agree with its mistakes).
    @Test func xmlUsesJunosElementNames() throws {
        let source = Self.intents["several pools, multihop, router-id"]!
            .replacingOccurrences(of: ##""first \"RR\"; } { #""##, with: #""a <b> & c""#)
        let (files, diagnostics) = Self.build(source)
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics.map(\.message))")
        let xml = try #require(files["junos/mx1.xml"])
        let compact = xml.split(separator: "\n").map { $0.trimmingCharacters(in: .whitespaces) }.joined()
        for snippet in [
            #"<load-configuration action="replace" format="xml"><configuration>"#,
            "<routing-options><router-id>10.255.0.1</router-id><autonomous-system><as-number>65000</as-number></autonomous-system>",
            "<rib><name>inet6.0</name><aggregate><route><name>2001:db8::/32</name></route></aggregate></rib>",
            "<route-filter><address>203.0.113.10/31</address><prefix-length-range>/32-/32</prefix-length-range></route-filter>",
            "<route-filter><address>203.0.113.250/32</address><exact></exact></route-filter>",
            "<route-filter><address>192.0.2.0/24</address><upto>/32</upto></route-filter>",
            "<term><name>reject-all</name><then><reject></reject></then></term>",
            #"<group replace="replace"><name>f1-reflectors-external</name><type>external</type>"#,
            "<family><inet><unicast><accepted-prefix-limit><maximum>100</maximum><teardown><limit-threshold>80</limit-threshold><idle-timeout><timeout>5</timeout></idle-timeout></teardown></accepted-prefix-limit></unicast></inet></family>",
            "<multihop><ttl>3</ttl></multihop>",
            "<neighbor><name>10.0.0.11</name><description>reflector rr1: a &lt;b&gt; &amp; c</description></neighbor>",
        ] {
            #expect(compact.contains(snippet), "\(snippet)")
        }
    }

    /// The XML comment may never hold `--`, however many dashes the source name has.
    @Test func xmlCommentsNeverHoldTwoDashes() {
        for text in ["a--b", "a---b", "----", "x-- --y", "-"] {
            let note = JunosXML.commentText(text)
            #expect(!note.contains("--"), "\(text) -> \(note)")
        }
    }

    @Test func limitsAreSizedFromThePools() throws {
        let (files, _) = Self.build(Self.intents["one reflector"]!)
        let conf = files["junos/mx1.conf"] ?? ""
        #expect(conf.contains("maximum 241;"), "203.0.113.10..250 holds 241 host routes")
        #expect(!conf.contains("router-id"), "no router-id unless the intent declares one")
        #expect(conf.contains("autonomous-system 65000;"))
        let (leaf, _) = Self.build(Self.intents["leaf with nodes"]!)
        let leafConf = leaf["junos/leaf1.conf"] ?? ""
        #expect(leafConf.contains("maximum 2;"), "a node announces its pod blocks, at most two here")
        #expect(leafConf.contains("group f1-nodes-external {"))
        #expect(leafConf.contains("description \"node n1: rack 1\";"))
        #expect(
            leafConf.contains(
                "neighbor 10.20.1.12 {\n                description \"node n2\";\n                peer-as 65204;"))
    }

    @Test func emptyAcceptListStillRejects() throws {
        let (files, _) = Self.build(Self.intents["empty accept list"]!)
        let set = files["junos/mx1.set"] ?? ""
        #expect(
            set.contains(
                "set policy-options policy-statement f1-reflectors-external-import term reject-all then reject\n"))
        #expect(!set.contains("then accept"))
        #expect(!set.contains("prefix-list"))
    }

    /// The keys go to the secrets overlay only, in all three forms; the
    /// configuration says where they are and holds none.
    @Test func passwordsAreKeysInTheSecretsOverlayOnly() throws {
        let values = ["PW": "s3cret", "OTHER": "an\"other\\key"]
        let result = Driver.build(
            "main.fab", options: BuildOptions(backends: ["junos"], environment: values, writeSecrets: true),
            provider: MemorySourceProvider(files: ["/project/main.fab": Self.intents["iBGP and per-neighbor keys"]!]))
        #expect(result.files.map(\.path) == ["junos/mx1.conf", "junos/mx1.set", "junos/mx1.xml"])
        #expect(
            result.secretFiles.map(\.path) == [
                "junos/mx1.secrets.conf", "junos/mx1.secrets.set", "junos/mx1.secrets.xml",
            ])
        for file in result.files {
            #expect(!file.contents.contains("authentication-key"), "\(file.path)")
            #expect(!file.contents.contains("s3cret") && !file.contents.contains("other"), "\(file.path)")
        }
        let conf = result.files.first { $0.path == "junos/mx1.conf" }?.contents ?? ""
        #expect(conf.contains("type internal;"))
        #expect(!conf.contains("peer-as"))
        #expect(conf.contains("## The BGP authentication keys are in junos/mx1.secrets.conf (.set, .xml)"))
        let overlay = result.secretFiles.first { $0.path == "junos/mx1.secrets.conf" }?.contents ?? ""
        #expect(overlay.contains("authentication-key \"s3cret\";"))
        #expect(overlay.contains("authentication-key \"an\\\"other\\\\key\";"))
        #expect(!overlay.contains("replace:"), "an overlay merges; replacing would drop the group")
        let set = result.secretFiles.first { $0.path == "junos/mx1.secrets.set" }?.contents ?? ""
        #expect(
            set.split(separator: "\n").allSatisfy {
                $0.hasPrefix("set protocols bgp group ") && $0.contains(" authentication-key ")
            }, "\(set)")
        let xml = result.secretFiles.first { $0.path == "junos/mx1.secrets.xml" }?.contents ?? ""
        #expect(xml.contains("<load-configuration action=\"merge\" format=\"xml\">"))
        #expect(xml.contains("<authentication-key>s3cret</authentication-key>"))
        // Without --secrets nothing is read and no overlay is made; the
        // configuration is the same bytes.
        let unread = Driver.build(
            "main.fab", options: BuildOptions(backends: ["junos"]),
            provider: MemorySourceProvider(files: ["/project/main.fab": Self.intents["iBGP and per-neighbor keys"]!]))
        #expect(!unread.hasErrors)
        #expect(unread.secretFiles.isEmpty)
        #expect(unread.files == result.files)
        let (plain, _) = Self.build(Self.intents["one reflector"]!.replacingOccurrences(of: "; password pw", with: ""))
        #expect(plain["junos/mx1.conf"].map { !$0.contains("authentication-key") && !$0.contains("secrets") } == true)
    }

    /// A description full of Junos syntax stays one quoted string in every form.
    @Test func hostileDescriptionsCannotOpenOrCloseABlock() throws {
        let hostile = #"x"; } } policy-options { policy-statement evil { then accept; } } # \"#
        let source =
            Self.base + """
                router mx1 { platform junos; asn 65000; address 10.0.0.254; accept public }
                reflector rr1 { address 10.0.0.11; cluster a; upstream mx1; description "\(hostile.replacingOccurrences(of: "\\", with: "\\\\").replacingOccurrences(of: "\"", with: "\\\""))" }
                host kvm1 { address 10.0.0.21; cluster a; pools public; vm v1 { ip 203.0.113.11 } }
                """
        let (files, diagnostics) = Self.build(source)
        #expect(!diagnostics.contains { $0.severity == .error }, "\(diagnostics.map(\.message))")
        for form in try Self.forms(files, "mx1") {
            #expect(!form.statements.contains { $0.contains("evil") })
            #expect(form.statements.contains { $0.last == "reflector rr1: " + hostile })
        }
    }

    @Test func unwritableDescriptionsAndSecretsAreRefused() throws {
        let source =
            Self.base + """
                router mx1 { platform junos; asn 65000; address 10.0.0.254; accept public }
                reflector rr1 { address 10.0.0.11; cluster a; upstream mx1; description "\(String(repeating: "long ", count: 49))" }
                host kvm1 { address 10.0.0.21; cluster a; pools public; vm v1 { ip 203.0.113.11 } }
                """
        let (files, diagnostics) = Self.build(source)
        #expect(files.isEmpty)
        #expect(diagnostics.filter { $0.severity == .error }.map(\.code.id) == ["FAB7202"])
        // A line break never gets this far: no string of the intent holds one (FAB6005).
        let (_, newline) = Self.build(source.replacingOccurrences(of: "long ", with: "l\\n"))
        #expect(newline.filter { $0.severity == .error }.map(\.code.id) == ["FAB6005"])
        let (noFiles, secretDiagnostics) = Self.build(Self.intents["one reflector"]!, environment: ["PW": "tab\there"])
        #expect(noFiles.isEmpty)
        #expect(secretDiagnostics.filter { $0.severity == .error }.map(\.code.id) == ["FAB7202"])
        #expect(!secretDiagnostics.contains { $0.message.contains("tab") })
    }

    @Test func namesJunosCannotCarryAreRefused() throws {
        let source = #"""
            fabric "dc.1" { asn 65100 }
            pool "pub lic" { prefix 203.0.113.0/24 }
            router mx1 { platform junos; asn 65000; address 10.0.0.254; accept "pub lic" }
            """#
        let (_, diagnostics) = Self.build(source)
        #expect(diagnostics.filter { $0.code.id == "FAB7201" }.count == 2, "\(diagnostics.map(\.message))")
    }

    @Test func quotingEscapesQuotesAndBackslashesAndRefusesControlCharacters() {
        #expect(JunosText.quoted("plain") == "\"plain\"")
        #expect(JunosText.quoted(#"a"b\c"#) == #""a\"b\\c""#)
        #expect(JunosText.quoted("; } { # /* */") == "\"; } { # /* */\"")
        #expect(JunosText.quoted("") == "\"\"")
        #expect(JunosText.quoted("ünïcødé ✓") == "\"ünïcødé ✓\"")
        for bad in ["a\nb", "a\rb", "a\tb", "\u{0}", "\u{7F}", "\u{85}", "\u{2028}"] {
            #expect(JunosText.quoted(bad) == nil, "\(bad.unicodeScalars.map(\.value))")
        }
    }

    @Test func junosNames() {
        #expect(JunosText.nameProblem("s5-public_2") == nil)
        #expect(JunosText.nameProblem(String(repeating: "a", count: 255)) == nil)
        #expect(JunosText.nameProblem(String(repeating: "a", count: 256)) != nil)
        for bad in ["", "a b", "a.b", "a;b", "-a", "_a", "a\"b", "a{b", "ü"] {
            #expect(JunosText.nameProblem(bad) != nil, "\(bad)")
        }
    }

    /// The test's readers must reject what Junos would, or the comparisons prove nothing.
    @Test func theFormReadersRejectBrokenInput() {
        #expect(throws: (any Error).self) { try JunosStatements.text("a {\n b;\n") }
        #expect(throws: (any Error).self) { try JunosStatements.text("a { b \"c; }") }
        #expect(throws: (any Error).self) { try JunosStatements.set("set a {\n") }
        // Well-formed XML is xmllint's to judge (JunosToolTests): libxml2 recovers from errors here.
        #expect(throws: (any Error).self) {
            try JunosStatements.xml("<load-configuration><other/></load-configuration>")
        }
        #expect(
            (try? JunosStatements.text("a { b c; d; }"))
                == JunosStatements(statements: [["a", "b", "c"], ["a", "d"]]))
    }
}
