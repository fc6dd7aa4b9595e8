import FabricBase
import FabricDiagnostics
import FabricDriver
import FabricSema
import FabricSyntax
import FabricTestSupport
import Foundation
import Testing

/// Allocation and its lock, in process: the lock's text survives hostile
/// names, and random histories of adds, removes and renames never move a
/// surviving VM's address or MAC nor give one to two VMs.
@Suite struct AllocationTests {
    static func intent(_ vms: [String], poolSize: Int = 200) -> String {
        var text = """
            fabric dc1 {
                asn 65000
                gateway 10.0.0.1
            }
            pool public {
                prefix 203.0.113.0/24
                range 203.0.113.10..203.0.113.\(9 + poolSize)
                announce host-routes
            }
            reflector rr1 {
                address 10.0.0.11
            }
            reflector rr2 {
                address 10.0.0.12
            }
            host kvm1 {
                address 10.0.0.21
                reflectors rr1, rr2

            """
        for vm in vms { text += "    vm \(vm) {\n        pool public\n    }\n" }
        return text + "}\n"
    }

    /// One build: the intent and the lock in, the allocations and the new lock out.
    static func build(_ vms: [String], lock: String?) throws -> (
        ips: [String: String], macs: [String: String], lock: String?
    ) {
        var files = ["/project/main.fab": intent(vms)]
        if let lock { files["/project/main.fab.lock"] = lock }
        let result = Driver.check("main.fab", provider: MemorySourceProvider(files: files))
        guard let ir = result.ir else {
            Issue.record("the build failed: \(result.diagnostics.map(\.message))")
            throw CancellationError()
        }
        var ips: [String: String] = [:]
        var macs: [String: String] = [:]
        for vm in ir.hosts.flatMap(\.vms) {
            ips[vm.name] = vm.ip?.value.description
            macs[vm.name] = vm.mac?.description
        }
        let state = try #require(result.lock)
        return (ips, macs, state.new)
    }

    @Test func randomHistoriesNeverMoveAnAllocation() throws {
        var rng = SplitMix64(state: 0x5EED_FAB)
        var vms: [String] = []
        var lock: String?
        var known: [String: (ip: String, mac: String)] = [:]
        var retired = Set<String>()  // addresses and MACs of VMs that left
        var counter = 0
        for step in 0..<300 {
            switch rng.next() % 4 {
            case 0, 1:  // add, anywhere in declaration order
                counter += 1
                vms.insert("vm\(counter)", at: Int(rng.next() % UInt64(vms.count + 1)))
            case 2 where !vms.isEmpty:  // remove
                vms.remove(at: Int(rng.next() % UInt64(vms.count)))
            case 3 where !vms.isEmpty:  // rename: a new VM for the name's purposes
                counter += 1
                vms[Int(rng.next() % UInt64(vms.count))] = "vm\(counter)"
            default:
                break
            }
            if vms.count > 60 { vms.removeFirst() }
            // What `fabricc lock release --all` does once quarantine fills the
            // pool: freed values may be handed out again.
            if let text = lock, text.components(separatedBy: "quarantine ip").count > 100 {
                var sources = SourceMap()
                let id = sources.add(displayPath: "main.fab.lock", bytes: Array(text.utf8))
                var parsed = AllocationLock.parse(sources[id]).0
                parsed.quarantined = []
                lock = parsed.rendered(entry: "main.fab")
                retired = []
            }
            let (ips, macs, next) = try Self.build(vms, lock: lock)
            #expect(Set(ips.values).count == ips.count, "step \(step): one address, two VMs")
            #expect(Set(macs.values).count == macs.count, "step \(step): one MAC, two VMs")
            for vm in vms {
                let now = (ips[vm]!, macs[vm]!)
                if let before = known[vm] {
                    #expect(before.ip == now.0 && before.mac == now.1, "step \(step): \(vm) moved")
                } else {
                    #expect(
                        !retired.contains(now.0) && !retired.contains(now.1),
                        "step \(step): \(vm) reuses a retired value")
                }
                known[vm] = now
            }
            for (vm, v) in known where !vms.contains(vm) {
                retired.insert(v.ip)
                retired.insert(v.mac)
                known[vm] = nil
            }
            // Building again from the lock just written changes nothing.
            let again = try Self.build(vms, lock: next)
            #expect(again.lock == next && again.ips == ips, "step \(step): the lock is not a fixed point")
            lock = next
        }
    }

    /// A build that changes nothing keeps the lock's text without rendering
    /// it when that text is fabricc's own; any other spelling of the same
    /// lines (order, spacing, line ends, case, comments) is rewritten.
    @Test func onlyCanonicalTextIsKeptAsIs() throws {
        let vms = ["web3", "web1", "web2"]
        let first = try #require(try Self.build(vms, lock: nil).lock)
        // A quarantined address and MAC too: web4 left.
        let withQuarantine = try #require(
            try Self.build(vms, lock: try Self.build(vms + ["web4"], lock: first).lock).lock)
        for canonical in [first, withQuarantine] {
            let current = try Self.state(vms, lock: canonical)
            #expect(current.isCurrent && current.new == canonical)
            var lines = canonical.split(separator: "\n", omittingEmptySubsequences: false).map(String.init)
            let body = lines.indices.filter { !lines[$0].hasPrefix("#") && !lines[$0].isEmpty }
            var variants: [String] = [
                canonical.replacingOccurrences(of: " ip ", with: "  ip "),
                canonical.replacingOccurrences(of: "\n", with: "\r\n"),
                canonical.replacingOccurrences(of: "0e:fa:b0", with: "0E:FA:B0"),
                String(canonical.dropLast()),
                canonical + "# a comment\n",
                canonical + "\n",
                canonical.replacingOccurrences(
                    of: "allocation lock for main.fab", with: "allocation lock for other.fab"),
                canonical.replacingOccurrences(of: "vm web1 ", with: "vm \"web1\" "),
            ]
            lines.swapAt(body[0], body[body.count - 1])
            variants.append(lines.joined(separator: "\n"))
            for variant in variants {
                let state = try Self.state(vms, lock: variant)
                #expect(!state.isCurrent, "kept as is: \(variant)")
                #expect(state.new == canonical, "rewritten wrongly from: \(variant)")
            }
        }
    }

    /// A VM that moves to another pool gets an address there; its old one
    /// rests in quarantine. One that now declares its address frees its
    /// allocation the same way; its MAC stays.
    @Test func movingPoolsOrDeclaringRetiresTheOldAddress() throws {
        let first = try #require(try Self.build(["web1", "web2"], lock: nil).lock)
        var text =
            Self.intent(["web1", "web2"]) + "pool other {\n    prefix 198.51.100.0/24\n    announce host-routes\n}\n"
        text = text.replacingOccurrences(
            of: "    vm web2 {\n        pool public\n", with: "    vm web2 {\n        pool other\n")
        text = text.replacingOccurrences(
            of: "    vm web1 {\n        pool public\n",
            with: "    vm web1 {\n        pool public\n        ip 203.0.113.99\n")
        let files = ["/project/main.fab": text, "/project/main.fab.lock": first]
        let result = Driver.check("main.fab", provider: MemorySourceProvider(files: files))
        let ir = try #require(result.ir, "\(result.diagnostics.map(\.message))")
        let vms = Dictionary(uniqueKeysWithValues: ir.hosts[0].vms.map { ($0.name, $0) })
        #expect(vms["web2"]?.ip?.value.description == "198.51.100.1")
        #expect(vms["web1"]?.ip?.value.description == "203.0.113.99" && vms["web1"]?.ipAllocated == false)
        let next = try #require(result.lock?.new)
        #expect(next.contains("quarantine ip 203.0.113.10 pool public was vm web1\n"), "\(next)")
        #expect(next.contains("quarantine ip 203.0.113.11 pool public was vm web2\n"), "\(next)")
        #expect(next.contains("vm web1 mac 0e:fa:b0:00:00:01\n") && !next.contains("quarantine mac"), "\(next)")
    }

    /// An IPv6 pool never hands out its Subnet-Router anycast address (the
    /// all-zero one), and its lock lines read back.
    @Test func ipv6PoolsSkipTheSubnetRouterAnycastAddress() throws {
        let text = """
            fabric t {
                asn 65000
            }
            pool v6 {
                prefix 2001:db8:1::/126
                gateway 2001:db8:1::1
            }
            host kvm1 {
                address 10.0.0.21
                vm a {
                    pool v6
                }
                vm b {
                    pool v6
                }
                vm c {
                    pool v6
                }
            }

            """
        let result = Driver.check("main.fab", provider: MemorySourceProvider(files: ["/project/main.fab": text]))
        // Four addresses: the anycast one, the gateway, and two for three VMs.
        #expect(result.diagnostics.map(\.code.id) == ["FAB4007"], "\(result.diagnostics.map(\.message))")
        #expect(result.diagnostics.first?.secondary.first?.message == "2 addresses: 2 taken")
        let two = text.replacingOccurrences(of: "    vm c {\n        pool v6\n    }\n", with: "")
        let first = try #require(
            Driver.check("main.fab", provider: MemorySourceProvider(files: ["/project/main.fab": two])).lock?.new)
        #expect(first.contains("vm a ip 2001:db8:1::2 pool v6\n") && first.contains("vm b ip 2001:db8:1::3 pool v6\n"))
        let again = Driver.check(
            "main.fab",
            provider: MemorySourceProvider(files: ["/project/main.fab": two, "/project/main.fab.lock": first]))
        #expect(again.lock?.isCurrent == true && again.diagnostics.isEmpty)
    }

    static func state(_ vms: [String], lock: String) throws -> LockState {
        let files = ["/project/main.fab": intent(vms), "/project/main.fab.lock": lock]
        return try #require(Driver.check("main.fab", provider: MemorySourceProvider(files: files)).lock)
    }

    @Test func hostileNamesSurviveTheLock() throws {
        var lock = AllocationLock()
        let names = ["plain", "with space", "quote\"d", "back\\slash", "#hash", "ünïcode", "tab\tin", ""]
        for (k, name) in names.enumerated() {
            lock.addresses.append(
                .init(
                    owner: .init(.vm, name), address: .v4(IPv4Address(UInt32(0x0A00_0000 + k))), pool: name, line: nil))
            lock.macs.append(.init(owner: .init(.vm, name), mac: MACAddress(UInt64(k)), line: nil))
        }
        let text = lock.rendered(entry: "main.fab")
        var sources = SourceMap()
        let id = sources.add(displayPath: "main.fab.lock", bytes: Array(text.utf8))
        let (parsed, diagnostics) = AllocationLock.parse(sources[id])
        #expect(diagnostics.isEmpty, "\(diagnostics.map(\.message))")
        #expect(parsed.rendered(entry: "main.fab") == text)
        #expect(Set(parsed.addresses.map(\.owner.name)) == Set(names))
        #expect(Set(parsed.addresses.map(\.pool)) == Set(names))
    }

    @Test func anUnreadableLockAllocatesNothing() throws {
        let files = [
            "/project/main.fab": Self.intent(["web1"]),
            "/project/main.fab.lock": "vm web1 ip 203.0.113.10 pol public\n",
        ]
        let result = Driver.check("main.fab", provider: MemorySourceProvider(files: files))
        #expect(result.diagnostics.map(\.code.id) == ["FAB4018"])
        #expect(result.lock == nil && result.ir == nil)
    }
}
