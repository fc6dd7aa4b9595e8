import FabricDiagnostics
import FabricDriver
import FabricSyntax
import Testing

/// Twenty-odd unrelated mistakes in one file: one run reports each one,
/// once, at its own line:column, and nothing else.
@Test func twentyMistakesInOneRun() {
    let source = """
        fabric dc1 {
          asn 65203
          gateway 10.0.0.300
        }
        pool public {
          prefix 203.0.113.1/24
          announce host-routes extra
        }
        hots kvm0 { address 10.0.0.20 }
        host kvm1 {
          adress 10.0.0.21
          vm "web\\q" { ip 2001:db8:::1 }
          mtu 9000 {
          }
          vm web2;
          vswitch vs0 { failover x { } }
        }
        router mx1 { platform junos; asn 65000; address 10.0.0.254/33 }
        vm stray { ip 10.1.1.1 }
        pool p2 { prefix 10.0.0.0/8 prefix 10.1.0.0/16 }
        reflector rr1 { address 10.0.0.011 }
        reflector rr2 { address 10.0.0.12; address 10.0.0.13 }
        vlan data { id 0100 }
        secret s { env "BGP\tPASSWORD" }
        fabric again { }
        host kvm2 { description "x${}" }
        host kvm3 { vm v { mac 52:54:00:12:34 } }
        for i 1..3 { }
        pool p3 { prefix 10.9.0.0/16; gateway = 10.9.0.1 }
        """
    let provider = MemorySourceProvider(files: ["/p/main.fab": source], workingDirectory: "/p")
    let result = Driver.check("main.fab", provider: provider)
    let found = result.diagnostics.map { d -> String in
        let loc = result.sources.location(of: d.primary.span)
        return "\(loc.line):\(loc.column) \(d.code.id)"
    }
    #expect(
        found == [
            "3:18 FAB1010", "6:10 FAB1013", "7:24 FAB1020", "9:1 FAB2001", "11:3 FAB2001",
            "12:10 FAB1003", "12:19 FAB1011", "13:12 FAB2004", "15:3 FAB2003", "16:26 FAB2005",
            "18:59 FAB1012", "19:1 FAB2002", "20:29 FAB1020", "21:32 FAB1010", "22:36 FAB2007",
            "23:16 FAB1014", "24:20 FAB1006", "25:1 FAB2008", "26:27 FAB1007", "27:24 FAB1016",
            "28:7 FAB1020", "29:39 FAB1001",
        ])
}
