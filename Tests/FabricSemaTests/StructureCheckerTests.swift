import FabricDiagnostics
import FabricSyntax
import Testing

@testable import FabricSema

func check(_ text: String) -> [Diagnostic] {
    let provider = MemorySourceProvider(files: ["/p/main.fab": text], workingDirectory: "/p")
    let (program, parseDiagnostics) = ProgramLoader.load(entry: "main.fab", provider: provider)
    return parseDiagnostics + StructureChecker.check(program)
}

@Suite struct StructureCheckerTests {
    @Test func reservedWordsCannotBeNames() {
        #expect(check("host for { }").map(\.code.id) == ["FAB2005"])
        #expect(check("host \"in\" { }").isEmpty)
    }

    @Test func everyBlockKindIsAcceptedWhereItBelongs() {
        // One well-formed instance of every block in the schema.
        let text = """
            fabric { asn 65000 }
            secret s { env "X" }
            vlan v { id 3 }
            network n { prefix 10.0.0.0/24 }
            pool p { prefix 10.1.0.0/24; range 10.1.0.10..10.1.0.20; range 10.1.0.30..10.1.0.40 }
            openstack o { vlan-range 100..199 }
            cluster c { cluster-id 10.0.0.1 }
            router r { platform junos; accept p; aggregate 10.1.0.0/16; aggregate 10.2.0.0/16 }
            reflector rr { address 10.0.0.2 }
            namespace ns { pool p }
            pod x { namespace ns; ip 10.1.0.50 }
            host h {
              network hn { prefix 10.9.0.0/24 }
              vm v { ip 10.9.0.5 }
              vswitch vs { uplinks vmnic0, vmnic1
                failover { active vmnic0; standby vmnic1 }
                security { promiscuous reject }
                portgroup "VM Network" { vlan 0; failover { active vmnic0 } }
                portgroup trunk { trunk; security { forged-transmits accept } }
              }
              linux-bridge br { members a }
              ovs-bridge ob { port q { vlan-mode trunk; trunks 1..9, 12 } }
              veth a { peer b }
            }
            for i in 1..2 { host "k${i}" { } }
            """
        #expect(check(text).isEmpty)
        let used = Set(text.split(whereSeparator: { !$0.isLetter && $0 != "-" }).map(String.init))
        for block in LanguageSchema.blocks {
            #expect(used.contains(block.keyword), "no instance of `\(block.keyword)`")
        }
    }

    @Test func unknownKeywordSuggests() {
        let d = check("hots a { }")
        #expect(codes(d) == ["FAB2001"])
        #expect(d[0].primary.message == "did you mean `host`?")
    }

    @Test func valueWordUsedAsKeyword() {
        let d = check("host a { esxi }")
        #expect(codes(d) == ["FAB2001"])
        #expect(d[0].help == "write `platform esxi;`")
    }

    @Test func unknownKeywordListsWhatIsAllowed() {
        let d = check("host a { vm b { zzzzzz 1 } }")
        #expect(codes(d) == ["FAB2001"])
        #expect(d[0].notes.first?.hasPrefix("keywords inside `vm`: `attach`, `carries`, `description`") == true)
    }

    @Test(arguments: [
        ("vm a { }", "FAB2002"), ("host a { portgroup p { } }", "FAB2002"), ("host a { mtu 1 { } }", "FAB2004"),
        ("host a { vm b; }", "FAB2003"), ("host { }", "FAB2005"), ("host a b { }", "FAB1020"),
        ("host a, b { }", "FAB2005"),
        ("host 1 { }", "FAB2005"), ("host a { vswitch v { failover x { } } }", "FAB2005"),
        ("host a { mtu 1, 2 }", "FAB2006"), ("host a { mtu }", "FAB2006"),
        ("host a { vswitch v { portgroup p { trunk yes } } }", "FAB2006"), ("host a { reflectors }", "FAB2006"),
        ("host a { mtu 1; mtu 2 }", "FAB2007"), ("fabric { }\nfabric { }", "FAB2008"),
        ("host a { vswitch v { security { } security { } } }", "FAB2008"), ("host a;", "FAB2003"),
        ("pool p { range 10.0.0.1..10.0.0.2, 10.0.0.5..10.0.0.6 }", "FAB2006"),
    ])
    func structureErrors(text: String, code: String) {
        #expect(codes(check(text)) == [code])
    }

    @Test func repeatableAttributesAndLoopsDoNotCountAsDuplicates() {
        #expect(check("pool p { range 10.0.0.1..10.0.0.2\n range 10.0.0.5..10.0.0.6 }").isEmpty)
        #expect(check("host a { for i in 1..3 { vm \"v${i}\" { } } }").isEmpty)
        // A loop is not a scope: the same attribute inside and outside is set twice.
        #expect(codes(check("host a { mtu 1\n for i in 1..2 { mtu 2 } }")) == ["FAB2007"])
    }

    @Test func duplicateFabricAcrossIncludedFiles() {
        let provider = MemorySourceProvider(
            files: ["/p/main.fab": "fabric { }\ninclude \"b.fab\"", "/p/b.fab": "fabric { }"], workingDirectory: "/p")
        let (program, _) = ProgramLoader.load(entry: "main.fab", provider: provider)
        let d = StructureChecker.check(program)
        #expect(codes(d) == ["FAB2008"])
        #expect(program.sources[d[0].primary.span.file].displayPath == "b.fab")
    }
}

func codes(_ diagnostics: [Diagnostic]) -> [String] { diagnostics.map(\.code.id) }
