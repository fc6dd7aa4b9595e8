import FabricBase
import FabricDiagnostics
import FabricSyntax
import Testing

@testable import FabricDriver
@testable import FabricSema

/// Checks `text` as a whole intent; returns the result.
func analyse(_ text: String, files: [String: String] = [:]) -> CheckResult {
    var all = ["/p/main.fab": text]
    for (k, v) in files { all["/p/" + k] = v }
    return Driver.check("main.fab", provider: MemorySourceProvider(files: all, workingDirectory: "/p"))
}

func found(_ r: CheckResult) -> [String] {
    r.diagnostics.map { d in
        let loc = r.sources.location(of: d.primary.span)
        return "\(loc.line):\(loc.column) \(d.code.id)"
    }
}

/// A small valid S5 fabric to vary.
let base = """
    fabric dc1 { asn 65100; gateway 10.0.0.1 }
    pool public { prefix 203.0.113.0/24; announce host-routes }
    router mx1 { platform junos; asn 65000; address 10.0.0.254; accept public }
    cluster a { cluster-id 10.0.0.11 }
    reflector rr1 { address 10.0.0.11; cluster a; upstream mx1 }
    reflector rr2 { address 10.0.0.12; cluster a; upstream mx1 }
    """

@Suite struct AddressArithmeticTests {
    @Test func addressesAndPrefixes() {
        let a = IPAddress.v4(IPv4Address(0x0A00_0014))
        #expect(a.adding(3)?.description == "10.0.0.23")
        #expect(a.adding(-21)?.description == "9.255.255.255")
        #expect(a.adding(-0x0A00_0015) == nil)
        #expect(IPAddress.v4(IPv4Address(UInt32.max)).adding(1) == nil)
        let p = IPPrefix(network: .v4(IPv4Address(0xC633_6400)), length: 28)
        #expect(p.shifted(by: 2)?.description == "198.51.100.32/28")
        #expect(p.shifted(by: -1)?.description == "198.51.99.240/28")
        #expect(IPPrefix(network: .v4(IPv4Address(0)), length: 0).shifted(by: 1) == nil)
        #expect(IPPrefix(network: .v4(IPv4Address(0xFFFF_FF00)), length: 24).shifted(by: 1) == nil)
        #expect(p.size == 16)
        #expect(p.last - p.first == 15)
        let v6 = IPPrefix(network: .v6(IPv6Address(UInt128(0x2001_0db8) << 96)), length: 64)
        #expect(v6.shifted(by: 1)?.description == "2001:db8:0:1::/64")
        #expect(IPPrefix(network: .v6(IPv6Address(0)), length: 0).size == UInt128.max)
    }
}

/// What a pool hands out is what filters accept: neither the network and
/// broadcast addresses nor the gateway.
@Suite struct AllocatableTests {
    func pool(_ declaration: String) throws -> Pool {
        let r = analyse(declaration)
        #expect(r.diagnostics.isEmpty, "\(found(r))")
        return try #require(r.ir?.pools.first)
    }

    func text(_ p: Pool) -> [String] { p.allocatable.map { "\($0.first)-\($0.last)" } }

    @Test func aPrefixLessNetworkBroadcastAndGateway() throws {
        #expect(try text(pool("pool p { prefix 10.0.0.0/24 }")) == ["10.0.0.1-10.0.0.254"])
        #expect(
            try text(pool("pool p { prefix 10.0.0.0/24; gateway 10.0.0.1 }")) == ["10.0.0.2-10.0.0.254"])
        #expect(
            try text(pool("pool p { prefix 10.0.0.0/24; gateway 10.0.0.100 }"))
                == ["10.0.0.1-10.0.0.99", "10.0.0.101-10.0.0.254"])
        // Point-to-point subnets and IPv6 keep every address.
        #expect(try text(pool("pool p { prefix 10.0.0.0/31 }")) == ["10.0.0.0-10.0.0.1"])
        #expect(try text(pool("pool p { prefix 2001:db8::/126 }")) == ["2001:db8::-2001:db8::3"])
    }

    /// Ranges less the same reserved addresses (a gateway inside a range is
    /// FAB4003; a member given the network address is FAB4008).
    @Test func rangesLessReservedAddresses() throws {
        #expect(
            try text(pool("pool p { prefix 10.0.0.0/24; gateway 10.0.0.1; range 10.0.0.10..10.0.0.20 }"))
                == ["10.0.0.10-10.0.0.20"])
        #expect(try text(pool("pool p { prefix 10.0.0.0/24; range 10.0.0.0..10.0.0.255 }")) == ["10.0.0.1-10.0.0.254"])
    }
}

@Suite struct ExpansionTests {
    @Test func loopsInterpolationAndArithmetic() throws {
        let r = analyse(
            base + """

                for i in 1..3 {
                  host "kvm${i:02}" {
                    address 10.0.0.20 + i
                    reflectors rr1, rr2
                    for v in 1..2 { vm "kvm${i:02}-vm${v}" { ip 203.0.113.0 + 10 * i + v; pool public } }
                  }
                }
                """)
        #expect(r.diagnostics.isEmpty, "\(found(r))")
        let ir = try #require(r.ir)
        #expect(ir.hosts.map(\.name) == ["kvm01", "kvm02", "kvm03"])
        #expect(ir.hosts[2].vms.map { $0.ip!.value.description } == ["203.0.113.31", "203.0.113.32"])
        #expect(ir.hosts[0].origin.loop?.describe(r.sources).hasPrefix("`i = 1` of the loop at main.fab:7:1") == true)
        #expect(
            ir.hosts[1].vms[1].origin.loop?.describe(r.sources).hasPrefix(
                "`i = 2`, `v = 2` of the loop at main.fab:11:5") == true)
    }

    @Test func arithmeticErrors() {
        #expect(
            found(analyse("fabric { mtu 9223372036854775807 + 1 }")).map { $0.split(separator: " ")[1] } == ["FAB3006"])
        #expect(found(analyse("fabric { mtu 1 / 0 }")) == ["1:18 FAB3006"])
        #expect(found(analyse("fabric { gateway 255.255.255.255 + 1 }")) == ["1:18 FAB3006"])
        #expect(found(analyse("fabric { mtu \"a\" + 1 }")) == ["1:14 FAB3006"])
    }

    @Test func unknownVariableExplainsTheDash() {
        let r = analyse("for i in 1..2 { host \"h${i-1}\" { } }")
        #expect(found(r) == ["1:26 FAB3001"])
        #expect(r.diagnostics[0].help == "`-` belongs to names: write `i - 1` with spaces")
    }

    @Test func aLoopVariableDoesNotHideANameOrKeyword() throws {
        let r = analyse(
            base
                + "\nfor kvm in 1..2 { host \"h${kvm}\" { platform kvm; address 10.0.0.20 + kvm; reflectors rr1, rr2 } }"
        )
        #expect(r.diagnostics.isEmpty, "\(found(r))")
        #expect(try #require(r.ir).hosts.map(\.platform) == [.kvm, .kvm])
        let rr = analyse(base + "\nfor rr1 in 1..1 { host h { address 10.0.0.21; reflectors rr1, rr2 } }")
        #expect(rr.diagnostics.isEmpty, "\(found(rr))")
    }

    @Test func loopErrors() {
        #expect(found(analyse("for i in 3..1 { }")) == ["1:10 FAB3007"])
        #expect(found(analyse("for i in 1..2 { for i in 1..2 { } }")) == ["1:21 FAB3007"])
        #expect(found(analyse("for i in 10.0.0.1..10.0.0.5 { }")) == ["1:10 FAB3007"])
    }

    @Test func aMistakeInALoopIsReportedOnce() {
        let r = analyse(base + "\nfor i in 1..50 { host \"h${i}\" { address 10.0.1.0 + i; reflectors rr1, rr3 } }")
        #expect(found(r) == ["7:71 FAB3001"])
        #expect(r.diagnostics[0].notes.contains { $0.hasPrefix("reported once: the same check fails 49 more times") })
    }

    @Test func namesALoopGeneratesMustDiffer() {
        let r = analyse("for i in 1..2 { vlan data { id 10 + i } }")
        #expect(found(r).contains("1:22 FAB3002"))
        #expect(r.diagnostics.first { $0.code == .duplicateName }?.help?.contains("${i}") == true)
    }
}

@Suite struct ResolutionTests {
    @Test func referencesAreTypedAndOrderFree() throws {
        let r = analyse(
            """
            host kvm1 { address 10.0.0.21; reflectors rr1, rr2; asn 65100 }
            reflector rr2 { address 10.0.0.12; asn 65100 }
            reflector rr1 { address 10.0.0.11; asn 65100 }
            """)
        #expect(r.diagnostics.isEmpty, "\(found(r))")
        #expect(try #require(r.ir).reflectors.first { $0.name == "rr1" }?.clients == ["kvm1"])
    }

    @Test func wrongKindAndSuggestions() {
        let r = analyse(
            base
                + "\nhost kvm1 { address 10.0.0.21; reflectors rr1, mx1 }\nhost kvm2 { address 10.0.0.22; reflectors rr1, rr3 }"
        )
        #expect(found(r) == ["7:48 FAB3003", "8:48 FAB3001"])
        #expect(r.diagnostics[0].message == "`mx1` is a router, not a reflector")
        #expect(
            r.diagnostics[1].primary.message == "did you mean `rr1`?"
                || r.diagnostics[1].primary.message == "did you mean `rr2`?")
    }

    @Test func duplicatesAcrossFiles() {
        let r = analyse(
            "include \"b.fab\"\npool p { prefix 10.0.0.0/24 }", files: ["b.fab": "pool p { prefix 10.1.0.0/24 }"])
        #expect(found(r) == ["1:6 FAB3002"])
        #expect(r.sources[r.diagnostics[0].primary.span.file].displayPath == "b.fab")
    }

    @Test func defaultsFlowFromFabricAndCluster() throws {
        let r = analyse(
            """
            fabric { asn 65100; gateway 10.0.0.1; password s }
            secret s { env "P" }
            cluster c { asn 65200; cluster-id 10.9.9.9; gateway 10.0.0.2 }
            reflector r1 { address 10.0.0.11; cluster c }
            reflector r2 { address 10.0.0.12; cluster c }
            host h1 { address 10.0.0.21; cluster c }
            host h2 { address 10.0.0.22; asn 65100; reflectors r0 }
            reflector r0 { address 10.0.0.10 }
            """)
        #expect(r.diagnostics.isEmpty, "\(found(r))")
        let ir = try #require(r.ir)
        let h1 = ir.hosts.first { $0.name == "h1" }!
        #expect(h1.asn?.value == 65200)
        #expect(h1.reflectors == ["r1", "r2"])
        #expect(h1.gateway?.description == "10.0.0.2")
        #expect(h1.password == "s")
        #expect(ir.reflectors.first { $0.name == "r1" }!.clusterID?.value.description == "10.9.9.9")
        #expect(ir.reflectors.first { $0.name == "r0" }!.asn?.value == 65100)
        #expect(ir.hosts.first { $0.name == "h2" }!.gateway?.description == "10.0.0.1")
    }

    @Test func sessionsHaveBothEnds() throws {
        let r = analyse(base + "\nhost kvm1 { address 10.0.0.21; reflectors rr1, rr2 }")
        let ir = try #require(r.ir)
        let roles = ir.sessions.map { "\($0.role.rawValue) \($0.a.name)-\($0.b.name) \($0.type.rawValue)" }
        #expect(
            roles.sorted() == [
                "reflector-client kvm1-rr1 internal", "reflector-client kvm1-rr2 internal",
                "reflector-mesh rr1-rr2 internal", "upstream rr1-mx1 external", "upstream rr2-mx1 external",
            ])
        let host = ir.hosts[0]
        #expect(host.sessions.count == 2)
        #expect(ir.routers[0].sessions.count == 2)
        #expect(ir.sessions[host.sessions[0]].aAddress.description == "10.0.0.21")
    }

    @Test func aSecretSetOnADeviceWinsOverTheFabricDefault() throws {
        let r = analyse(
            """
            fabric { asn 65100; password fab }
            secret fab { env "FAB" }
            secret rrpw { env "RR" }
            router mx1 { asn 65000; address 10.0.0.254 }
            reflector rr1 { address 10.0.0.11; password rrpw; upstream mx1 }
            host kvm1 { address 10.0.0.21; reflectors rr1 }
            """)
        let ir = try #require(r.ir)
        let byRole = Dictionary(grouping: ir.sessions, by: \.role)
        #expect(byRole[.reflectorClient]?.first?.password == "rrpw")
        #expect(byRole[.upstream]?.first?.password == "rrpw")
        #expect(ir.routers[0].password == "fab")
        #expect(ir.hosts[0].password == "fab")
    }

    @Test func typeErrorsSayWhatWasExpected() {
        let r = analyse("pool p { prefix 10.0.0.1; vlan 4095 }")
        #expect(found(r) == ["1:17 FAB3005", "1:32 FAB3010"])
        #expect(r.diagnostics[0].help == "a prefix has a length: `10.0.0.1/24`")
        let k = analyse("host h { platform kvn }")
        #expect(found(k) == ["1:19 FAB3008"])
        #expect(k.diagnostics[0].primary.message == "did you mean `kvm`?")
    }

    @Test func asnRanges() {
        #expect(found(analyse("fabric { asn 4294967296 }")) == ["1:14 FAB3011"])
        #expect(found(analyse("fabric { asn 0 }")) == ["1:14 FAB3011"])
        #expect(found(analyse("fabric { asn 23456 }")) == ["1:14 FAB3012"])
        #expect(analyse("fabric { asn 4294967294 }").diagnostics.isEmpty)
        #expect(analyse("fabric { asn 1.100 }").diagnostics.isEmpty)
        #expect(found(analyse("fabric { asn 1.10 }")) == ["1:14 FAB3012"])
    }
}

@Suite struct CheckTests {
    /// Names, types and the address plan are checked in one run: a typo in
    /// a reference does not hide an unrelated overlap or a BGP mistake.
    @Test func independentErrorsOfEveryStageInOneRun() {
        let r = analyse(
            base + """

                pool edge { prefix 203.0.113.128/25 }
                host kvm1 { address 10.0.0.21; reflectors rr1, rr3 }
                host kvm2 { address 10.0.0.22; asn 65200; reflectors rr1, rr2 }
                host esx1 { platform esxi; vswitch vs { portgroup "a;b" { vlan 3105 } } }
                """)
        #expect(found(r) == ["7:20 FAB4001", "8:48 FAB3001", "9:36 FAB5001", "10:51 FAB6004"])
    }

    @Test func overlapIsASweepNotPairs() {
        // 20,000 disjoint /30s and one overlap at the end: one diagnostic.
        var text = "fabric { }\n"
        for k in 0..<20_000 {
            text += "pool \"p\(k)\" { prefix 10.\(k / 256 / 64).\(k / 64 % 256).\(k % 64 * 4)/30 }\n"
        }
        text += "pool last { prefix 10.0.0.0/29 }\n"
        let r = analyse(text)
        #expect(found(r) == ["20002:20 FAB4001"])
    }

    @Test func adjacentSubnetsDoNotOverlap() {
        #expect(analyse("pool a { prefix 10.0.0.0/25 }\npool b { prefix 10.0.0.128/25 }").diagnostics.isEmpty)
        #expect(found(analyse("pool a { prefix 10.0.0.0/25 }\npool b { prefix 10.0.0.0/24 }")) == ["2:17 FAB4001"])
    }

    @Test func gatewaysAndRanges() {
        #expect(found(analyse("pool a { prefix 10.0.0.0/24; gateway 10.0.1.1 }")) == ["1:38 FAB4002"])
        #expect(found(analyse("pool a { prefix 10.0.0.0/24; gateway 10.0.0.255 }")) == ["1:38 FAB4002"])
        #expect(found(analyse("pool a { prefix 10.0.0.0/24; range 10.0.0.10..10.0.1.5 }")) == ["1:36 FAB4004"])
        #expect(found(analyse("pool a { prefix 10.0.0.0/24; range 10.0.0.50..10.0.0.10 }")) == ["1:36 FAB4005"])
        #expect(
            found(analyse("pool a { prefix 10.0.0.0/24; range 10.0.0.1..10.0.0.9; range 10.0.0.5..10.0.0.20 }")) == [
                "1:62 FAB4012"
            ])
        #expect(analyse("pool a { prefix 10.0.0.0/31; gateway 10.0.0.1 }").diagnostics.isEmpty)
    }

    @Test func exhaustion() {
        let full =
            "pool a { prefix 10.0.0.0/24; range 10.0.0.10..10.0.0.11; gateway 10.0.0.1 }\nnamespace ns { pool a }\n"
        #expect(analyse(full + "pod x { namespace ns; pool a }\npod y { namespace ns; pool a }").diagnostics.isEmpty)
        #expect(
            found(analyse(full + "pod x { namespace ns }\npod y { namespace ns }\npod z { namespace ns; pool a }")) == [
                "5:5 FAB4007"
            ])
    }

    @Test func s1ForeignSubnet() {
        let r = analyse(
            """
            host esx1 { platform esxi; network n1 { prefix 198.51.100.16/28 } }
            host esx2 { platform esxi; network n2 { prefix 198.51.100.32/28 }
              vm x { ip 198.51.100.20 } }
            """)
        #expect(found(r) == ["3:13 FAB4009"])
        #expect(r.diagnostics[0].secondary.first.map { r.sources.location(of: $0.span).line } == 1)
    }

    @Test func s4NestedVLANs() {
        #expect(
            analyse("openstack o { vlan-range 100..199 }\nopenstack i { vlan-range 200..299; nested-in o }").diagnostics
                .isEmpty)
        #expect(
            found(analyse("openstack o { vlan-range 100..199 }\nopenstack i { vlan-range 199..299; nested-in o }")) == [
                "2:26 FAB4010"
            ])
    }

    @Test func bgpDesign() {
        #expect(
            found(analyse(base + "\nhost h { address 10.0.0.21; asn 65200; reflectors rr1, rr2 }")).contains(
                "7:33 FAB5001"))
        #expect(
            found(
                analyse(base + "\nhost h { address 10.0.0.21; reflectors rr1; vm v { ip 203.0.113.5; pool public } }"))
                == ["7:29 FAB5004"])
        let noRR = analyse(
            "fabric { asn 65100 }\npool p { prefix 203.0.113.0/24 }\nhost h { address 10.0.0.21; vm v { ip 203.0.113.5; pool p } }"
        )
        #expect(found(noRR) == ["3:6 FAB5003"])
        let ids = analyse(
            base.replacingOccurrences(
                of: "reflector rr2 { address 10.0.0.12;",
                with: "reflector rr2 { address 10.0.0.12; cluster-id 10.0.0.99;"))
        #expect(found(ids) == ["6:47 FAB5005"])
        let leaf = analyse(
            "router l { role leaf; asn 65100; address 10.1.0.1 }\nhost n { platform linux; asn 65100; address 10.1.0.11; peers l }"
        )
        #expect(found(leaf) == ["2:62 FAB5008"])
        let rid = analyse(base + "\nhost h { address 10.0.0.21; router-id 10.0.0.11; reflectors rr1, rr2 }")
        #expect(found(rid).contains("7:39 FAB5006"))
    }

    @Test func namesTargetsCannotCarry() {
        #expect(found(analyse("host h { linux-bridge br-a-very-long-name { } }")) == ["1:23 FAB6001"])
        #expect(found(analyse("pool Web { prefix 10.0.0.0/24 }\nnamespace ns { pool Web }")) == ["1:6 FAB6002"])
        #expect(found(analyse("host h { vswitch v { portgroup \"x'; reboot; '\" { } } }")) == ["1:32 FAB6004"])
        #expect(found(analyse("fabric { description \"a\\nb\" }")) == ["1:22 FAB6005"])
        #expect(found(analyse("fabric { mtu 1500; underlay-mtu 1549 }")) == ["1:33 FAB6006"])
        #expect(analyse("fabric { mtu 1500; underlay-mtu 1550 }").diagnostics.isEmpty)
    }

    @Test func dumpIRIsStableJSON() throws {
        let r = analyse(
            base + "\nhost kvm1 { address 10.0.0.21; reflectors rr1, rr2; vm w { ip 203.0.113.5; pool public } }")
        let ir = try #require(r.ir)
        let json = ir.json(sources: r.sources)
        #expect(json == ir.json(sources: r.sources))
        #expect(json.contains("\"origin\" : \"main.fab:7:6\""))
        #expect(json.contains("\"role\" : \"reflector-client\""))
        #expect(json.contains("\"clouds\" : [],"))
    }
}

@Suite struct ShellSafeTests {
    /// Checked by byte: every allowed character is ASCII, so a name with any
    /// other character (a letter with a mark, a combining mark, a
    /// full-width letter) is refused as the character-by-character rule
    /// refused it.
    @Test func onlyTheListedASCIICharactersPass() {
        #expect(NameChecks.shellSafe("kvm1-vm1 a_b.c+d@e=f,g"))
        for refused in ["é", "e\u{301}", "ａ", "$x", "a'b", "a\"b", "a;b", "a/b", "a\tb", "\u{0}", "`id`", "a\u{2028}"] {
            #expect(!NameChecks.shellSafe(refused), "\(refused.debugDescription)")
        }
        for scalar in (0x00...0x7F).compactMap(Unicode.Scalar.init) {
            let expected =
                ("a"..."z").contains(scalar) || ("A"..."Z").contains(scalar) || ("0"..."9").contains(scalar)
                || " -_.+@=,".unicodeScalars.contains(scalar)
            #expect(NameChecks.shellSafe(String(scalar)) == expected, "U+\(String(scalar.value, radix: 16))")
        }
    }
}
