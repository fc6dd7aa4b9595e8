import ArgumentParser
import FabricBase
import FabricDiagnostics
import FabricDriver
import FabricLSP
import FabricSema
import FabricSyntax
import Foundation

/// Benchmarks for fabricc; run in release: `swift run -c release fabricc-bench frontend`.
struct Bench: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "fabricc-bench",
        abstract: "Measure fabricc on generated intents.",
        subcommands: [Generate.self, Frontend.self, Semantic.self, LanguageServerEdit.self]
    )
}

struct LanguageServerEdit: ParsableCommand {
    static let configuration = CommandConfiguration(
        commandName: "lsp",
        abstract: "Time what `fabricc lsp` does after an edit: check the open file, make its diagnostics."
    )

    @Option(help: "Approximate number of lines of the open intent.")
    var lines = 5_000

    @Option(help: "Timed runs after one warm-up; the median is reported.")
    var runs = 9

    func run() throws {
        let text = IntentGenerator.unrolled(lines: lines)
        let path = FileManager.default.temporaryDirectory.appendingPathComponent("fabricc-bench-lsp.fab").path
        var published = 0
        // Each run an edit: one VM's address changes, so nothing is cached.
        var n = 0
        let seconds = measure(runs: runs) {
            n += 1
            published = LanguageServer.checkOnce(path: path, text: text + "# edit \(n)\n")
        }
        let count = text.utf8.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        print("\(count) lines, \(published) diagnostics: \(String(format: "%.1f", seconds * 1000)) ms")
    }
}

struct Frontend: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Time the lexer, the parser and `check` on a generated, fully unrolled intent."
    )

    @Option(help: "Approximate number of lines to generate.")
    var lines = 100_000

    @Option(help: "Timed runs after one warm-up; the median is reported.")
    var runs = 5

    @Option(help: "Also write the generated intent to this file.")
    var write: String?

    func run() throws {
        let text = IntentGenerator.unrolled(lines: lines)
        let bytes = Array(text.utf8)
        let lineCount = bytes.reduce(0) { $0 + ($1 == 0x0A ? 1 : 0) }
        if let write { try text.write(toFile: write, atomically: true, encoding: .utf8) }
        var sources = SourceMap()
        let id = sources.add(displayPath: "bench.fab", bytes: bytes)
        let file = sources[id]
        let provider = MemorySourceProvider(bytes: ["/bench/bench.fab": bytes], workingDirectory: "/bench")

        var tokens = 0
        let lex = measure(runs: runs) { tokens = Lexer.tokenize(bytes, file: file.id).tokens.count }
        var diagnostics = 0
        let parse = measure(runs: runs) { diagnostics = Parser.parse(file).diagnostics.count }
        var checkDiagnostics = 0
        let check = measure(runs: runs) {
            checkDiagnostics = Driver.check("bench.fab", provider: provider).diagnostics.count
        }
        guard diagnostics == 0, checkDiagnostics == 0 else {
            throw ValidationError(
                "the generated intent has \(max(diagnostics, checkDiagnostics)) diagnostics; the generator is broken")
        }

        let mb = Double(bytes.count) / 1_000_000
        print(
            "input: \(lineCount) lines, \(String(format: "%.1f", mb)) MB, \(tokens) tokens; median of \(runs) runs after a warm-up"
        )
        print("stage                      time      lines/s     MB/s")
        for (name, seconds) in [("lex", lex), ("lex + parse", parse), ("check (load, parse, structure)", check)] {
            print(
                name.padding(toLength: 24, withPad: " ", startingAt: 0)
                    + String(format: "%8.1f ms %12.0f %8.1f", seconds * 1000, Double(lineCount) / seconds, mb / seconds)
            )
        }
        print("peak RSS: \(peakRSS())")
    }

}

struct Semantic: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract:
            "Time `check` (parse, expand, resolve, every network check) on a generated S5 fabric written with loops."
    )

    @Option(help: "Hypervisors.")
    var hosts = 1000

    @Option(help: "VMs per hypervisor.")
    var vmsPerHost = 100

    @Option(help: "Address pools (one per host is used by its VMs; the rest stand alone).")
    var pools = 10_000

    @Option(help: "Timed runs after one warm-up; the median is reported.")
    var runs = 3

    @Option(help: "Also write the generated intent to this file.")
    var write: String?

    func validate() throws {
        guard pools >= hosts else { throw ValidationError("--pools must be at least --hosts") }
    }

    func run() throws {
        let text = IntentGenerator.looped(hosts: hosts, vmsPerHost: vmsPerHost, pools: pools)
        if let write { try text.write(toFile: write, atomically: true, encoding: .utf8) }
        let provider = MemorySourceProvider(bytes: ["/bench/bench.fab": Array(text.utf8)], workingDirectory: "/bench")
        var result: CheckResult?
        let median = measure(runs: runs) { result = Driver.check("bench.fab", provider: provider) }
        guard let result, result.diagnostics.isEmpty, let ir = result.ir else {
            throw ValidationError(
                "the generated intent has diagnostics; the generator is broken: \(result?.diagnostics.first?.message ?? "")"
            )
        }
        let vms = ir.hosts.reduce(0) { $0 + $1.vms.count }
        // Phase split of one more run, to see where the time goes.
        func clock() -> Double { Double(DispatchTime.now().uptimeNanoseconds) / 1e9 }
        var t = clock()
        let (program, _) = ProgramLoader.load(entry: "bench.fab", provider: provider)
        let tLoad = clock() - t
        t = clock()
        _ = StructureChecker.check(program)
        let tStructure = clock() - t
        t = clock()
        let (roots, _) = Expander.expand(program)
        let tExpand = clock() - t
        t = clock()
        _ = SemanticAnalysis.run(program)
        let tSemantic = clock() - t
        print(
            String(
                format:
                    "phases: load+parse %.3f s, structure %.3f s, expand %.3f s (%d roots), expand+build+checks %.3f s",
                tLoad, tStructure, tExpand, roots.count, tSemantic))
        print(
            "hosts \(ir.hosts.count), VMs \(vms), pools \(ir.pools.count), sessions \(ir.sessions.count): check \(String(format: "%.3f", median)) s (median of \(max(1, runs))), peak RSS \(peakRSS())"
        )
    }
}

struct Generate: ParsableCommand {
    static let configuration = CommandConfiguration(
        abstract: "Write a synthetic data center as a .fab file, for scripts/bench.",
        discussion: """
            H hypervisors with V VMs each (distinct /32s from one pool per host), R route
            reflectors, one Junos border router accepting every pool, E ESXi hosts with port
            groups, K Kubernetes namespaces each with its own pool. --unrolled writes every
            host and VM out instead of using `for` loops, so the parser is measured too.
            --mistake writes instead a small intent that repeats one mistake --repeats times.
            """
    )

    /// Inputs whose output is one diagnostic however often the mistake
    /// repeats, so time and memory must not grow with the repeats.
    enum Mistake: String, ExpressibleByArgument, CaseIterable {
        /// N VLANs from one loop that nothing uses: one warning.
        case unusedVLANs = "unused-vlans"
        /// An inner loop whose range is empty in each of N outer iterations.
        case failingRange = "failing-range"
        /// A nested loop (1000 inner iterations) whose body fails in each of
        /// N inner iterations.
        case failingBody = "failing-body"
    }

    @Option(help: "Hypervisors.") var hosts = 100
    @Option(help: "VMs per hypervisor.") var vmsPerHost = 100
    @Option(help: "Route reflectors.") var reflectors = 2
    @Option(help: "ESXi hosts.") var esxi = 10
    @Option(help: "Kubernetes namespaces (each with a pool).") var namespaces = 10
    @Option(help: "Extra pools the border router accepts (beyond one per hypervisor).") var extraPools = 0
    @Flag(help: "Write every host and VM out, without loops.") var unrolled = false
    @Flag(help: "Give VMs a pool and no address, so fabricc allocates every one.") var allocate = false
    @Option(help: "Write instead one mistake, repeated: \(Mistake.allCases.map(\.rawValue).joined(separator: ", ")).")
    var mistake: Mistake?
    @Option(help: "How often --mistake repeats.") var repeats = 100_000
    @Option(name: .shortAndLong, help: "The file to write.") var output: String

    func validate() throws {
        guard hosts >= 1, hosts <= 60_000, vmsPerHost >= 0, vmsPerHost <= 60_000, reflectors >= 1, reflectors <= 200
        else {
            throw ValidationError("sizes out of range: 1–60000 hosts, 0–60000 VMs per host, 1–200 reflectors")
        }
        guard repeats >= 1, repeats <= 3_000_000 else { throw ValidationError("--repeats is 1 to 3000000") }
    }

    func run() throws {
        if let mistake {
            try IntentGenerator.repeated(mistake, repeats).write(toFile: output, atomically: true, encoding: .utf8)
            return
        }
        let text = IntentGenerator.dataCenter(
            hosts: hosts, vmsPerHost: vmsPerHost, reflectors: reflectors, esxi: esxi,
            namespaces: namespaces, extraPools: extraPools, unrolled: unrolled, allocate: allocate)
        try text.write(toFile: output, atomically: true, encoding: .utf8)
    }
}

/// Median wall time of `runs` calls after one warm-up.
func measure(runs: Int, _ body: () -> Void) -> Double {
    body()
    var times: [Double] = []
    for _ in 0..<max(1, runs) {
        let start = DispatchTime.now().uptimeNanoseconds
        body()
        times.append(Double(DispatchTime.now().uptimeNanoseconds - start) / 1e9)
    }
    return times.sorted()[times.count / 2]
}

func peakRSS() -> String {
    guard let status = try? String(contentsOfFile: "/proc/self/status", encoding: .utf8),
        let line = status.split(separator: "\n").first(where: { $0.hasPrefix("VmHWM:") })
    else { return "unknown" }
    return line.dropFirst("VmHWM:".count).trimmingCharacters(in: .whitespaces)
}

/// Writes synthetic but realistic intents: hosts with VMs, reflectors,
/// pools, ESXi switches, namespaces. Addresses are distinct.
enum IntentGenerator {
    /// S5 at scale, with loops: H hypervisors with V VMs each, every host's
    /// VMs in its own pool, more pools standing alone, two reflectors.
    static func looped(hosts: Int, vmsPerHost: Int, pools: Int) -> String {
        var bits = 1
        while (1 << bits) < vmsPerHost + 3 { bits += 1 }
        let block = 1 << bits
        return """
            # generated by fabricc-bench semantic
            fabric bench { asn 65100; gateway 192.168.0.1 }
            router mx1 { platform junos; role border; asn 65000; address 192.168.0.254; accept pool1 }
            cluster a { cluster-id 192.168.0.11 }
            reflector rr1 { address 192.168.0.11; cluster a; upstream mx1 }
            reflector rr2 { address 192.168.0.12; cluster a; upstream mx1 }
            for p in 1..\(pools) {
              pool "pool${p}" { prefix 10.0.0.0/\(32 - bits) + p; announce host-routes }
            }
            for i in 1..\(hosts) {
              host "kvm${i}" {
                address 172.16.0.0 + i
                cluster a
                for v in 1..\(vmsPerHost) {
                  vm "kvm${i}-vm${v}" { ip 10.0.0.0 + \(block) * i + v; pool "pool${i}" }
                }
              }
            }

            """
    }

    /// The whole data center of `fabricc-bench generate`. Each hypervisor
    /// `i` has its own pool, a block of 2^k addresses big enough for its
    /// VMs, carved from 10.0.0.0/8 (so up to a few million VMs fit).
    static func dataCenter(
        hosts: Int, vmsPerHost: Int, reflectors: Int, esxi: Int, namespaces: Int, extraPools: Int, unrolled: Bool,
        allocate: Bool = false
    ) -> String {
        var bits = 2
        while (1 << bits) < vmsPerHost + 2 { bits += 1 }
        let block = UInt32(1 << bits)
        let reflectorNames = (1...reflectors).map { "rr\($0)" }
        var out = """
            # generated by fabricc-bench generate: \(hosts) hypervisors x \(vmsPerHost) VMs, \(reflectors) reflectors,
            # \(esxi) ESXi hosts, \(namespaces) namespaces\(unrolled ? ", unrolled" : "")
            fabric bench { asn 65100; gateway 192.168.0.1 }
            router mx1 { platform junos; role border; asn 65000; address 192.168.0.254; accept \(((1...hosts).map { "pool\($0)" } + (0..<extraPools).map { "extra\($0)" } + (0..<namespaces).map { "ns-pool\($0)" }).joined(separator: ", ")) }
            cluster a { cluster-id 192.168.0.10 }

            """
        out.reserveCapacity(hosts * (unrolled ? vmsPerHost * 60 + 200 : 200) + extraPools * 60)
        for (n, name) in reflectorNames.enumerated() {
            out +=
                "reflector \(name) { address \(IPv4Address(0xC0A8_0000 + 11 + UInt32(n))); cluster a; upstream mx1 }\n"
        }
        func host(_ i: Int) -> String {
            var h =
                "host \"kvm\(i)\" {\n  platform kvm\n  address \(IPv4Address(0xAC10_0000 + UInt32(i)))\n  cluster a\n"
            let base = 0x0A00_0000 + UInt32(i) * block
            for v in stride(from: 1, through: vmsPerHost, by: 1) {
                h +=
                    allocate
                    ? "  vm \"kvm\(i)-vm\(v)\" { pool \"pool\(i)\" }\n"
                    : "  vm \"kvm\(i)-vm\(v)\" { ip \(IPv4Address(base + UInt32(v))); pool \"pool\(i)\" }\n"
            }
            return h + "}\n"
        }
        if unrolled {
            for i in 1...hosts {
                out +=
                    "pool \"pool\(i)\" { prefix \(IPv4Address(0x0A00_0000 + UInt32(i) * block))/\(32 - bits); announce host-routes }\n"
                out += host(i)
            }
        } else {
            out +=
                "for i in 1..\(hosts) {\n  pool \"pool${i}\" { prefix 10.0.0.0/\(32 - bits) + i; announce host-routes }\n"
            out += "  host \"kvm${i}\" {\n    platform kvm\n    address 172.16.0.0 + i\n    cluster a\n"
            if vmsPerHost > 0 {
                out +=
                    allocate
                    ? "    for v in 1..\(vmsPerHost) {\n      vm \"kvm${i}-vm${v}\" { pool \"pool${i}\" }\n    }\n"
                    : "    for v in 1..\(vmsPerHost) {\n      vm \"kvm${i}-vm${v}\" { ip 10.0.0.0 + \(block) * i + v; pool \"pool${i}\" }\n    }\n"
            }
            out += "  }\n}\n"
        }
        // Extra pools and the namespaces' pools live in 100.64.0.0/10.
        for p in 0..<extraPools {
            out += "pool \"extra\(p)\" { prefix \(IPv4Address(0x6440_0000 + UInt32(p) * 256))/24 }\n"
        }
        for k in 0..<namespaces {
            let net = 0x6480_0000 + UInt32(k) * 256
            out +=
                "pool \"ns-pool\(k)\" { prefix \(IPv4Address(net))/24; range \(IPv4Address(net + 10))..\(IPv4Address(net + 200)); gateway \(IPv4Address(net + 254)); vlan \(100 + k % 3000) }\n"
            out += "namespace \"ns\(k)\" { pool \"ns-pool\(k)\" }\n"
        }
        for e in 0..<esxi {
            out += "host \"esx\(e)\" {\n  platform esxi\n  address \(IPv4Address(0xAC14_0000 + UInt32(e)))\n"
            out +=
                "  vswitch vSwitch1 {\n    uplinks vmnic1, vmnic2\n    portgroup pg-data { vlan 3105 }\n    portgroup pg-trunk { trunk }\n"
            out += "    portgroup \"pg-vlan\(e % 4000 + 10)\" { vlan \(e % 4000 + 10) }\n  }\n}\n"
        }
        return out
    }

    /// One mistake made `n` times by loops; see ``Generate/Mistake``.
    static func repeated(_ mistake: Generate.Mistake, _ n: Int) -> String {
        switch mistake {
        case .unusedVLANs:
            return
                "# generated by fabricc-bench generate --mistake unused-vlans: one warning\nfor i in 1..\(n) { vlan \"v${i}\" { id 5 } }\n"
        case .failingRange:
            // The bound depends on `i`: the loop cannot be skipped as a whole.
            return
                "# generated by fabricc-bench generate --mistake failing-range: one error\nfor i in 1..\(n) {\n  for j in 1..i - \(n + 1) { vlan \"v${i}-${j}\" { id 5 } }\n}\n"
        case .failingBody:
            let inner = min(n, 1000)
            return
                "# generated by fabricc-bench generate --mistake failing-body: one error\nfor i in 1..\((n + inner - 1) / inner) {\n  for j in 1..\(inner) { vlan \"v${i}-${k}\" { id j } }\n}\n"
        }
    }

    static func unrolled(lines target: Int) -> String {
        var out = """
            # generated by fabricc-bench
            fabric bench { asn 65100; gateway 10.0.0.1; mtu 1500; hold-time 90s; password bgp }
            secret bgp { env "BGP_PASSWORD" }
            router mx1 { platform junos; role border; asn 65000; address 10.0.0.254; accept public }
            cluster a { cluster-id 10.0.0.11 }
            reflector rr1 { address 10.0.0.11; cluster a; upstream mx1 }
            reflector rr2 { address 10.0.0.12; cluster a; upstream mx1 }
            pool public { prefix 100.64.0.0/10; announce host-routes }

            """
        out.reserveCapacity(target * 40)
        var lines = 9
        var h = 0
        while lines < target {
            h += 1
            let mgmt = IPv4Address(0x0A01_0000 + UInt32(h))
            out += "host \"kvm\(h)\" {\n  platform kvm\n  address \(mgmt)\n  reflectors rr1, rr2\n  pools public\n"
            lines += 5
            for v in 0..<8 {
                let ip = IPv4Address(0x6440_0000 + UInt32(h) * 8 + UInt32(v))
                out +=
                    "  vm \"kvm\(h)-vm\(v)\" { ip \(ip); pool public; mac 52:54:00:\(hex(h >> 8)):\(hex(h)):\(hex(v)) }\n"
                lines += 1
            }
            if h % 10 == 0 {
                out +=
                    "  ovs-bridge br-eth1 {\n    uplink eth1\n    port \"p\(h)\" { vlan-mode trunk; trunks 100..199, 300 }\n  }\n"
                lines += 4
            }
            out += "}\n"
            lines += 1
            if h % 50 == 0 {
                out +=
                    "pool \"pool-\(h)\" {\n  prefix 172.\(16 + (h / 50) % 16).\((h / 800) % 256).0/24\n  range 172.\(16 + (h / 50) % 16).\((h / 800) % 256).10..172.\(16 + (h / 50) % 16).\((h / 800) % 256).200\n  vlan \(h / 50 % 4000 + 10)\n}\n"
                lines += 5
            }
        }
        return out
    }

    static func hex(_ n: Int) -> String {
        let s = String(n & 0xFF, radix: 16)
        return s.count == 1 ? "0" + s : s
    }
}

Bench.main()
