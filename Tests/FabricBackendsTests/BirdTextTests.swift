import FabricBase
import FabricSema
import FabricSyntax
import Testing

@testable import FabricBackends

@Suite struct BirdTextTests {
    @Test(arguments: ["s3cret", "a b", "a'b", "a\\b", "a;b}", "{", "ключ", "#x", "$(reboot)", "`id`"])
    func quotesWhatBIRDCanCarry(_ value: String) {
        #expect(BirdText.quoted(value) == "\"" + value + "\"")
    }

    /// BIRD strings have no escapes: these would end the string or break the line.
    @Test(arguments: [
        "a\"b", "\"", "a\nb", "a\rb", "tab\there", "nul\u{0}", "del\u{7F}", "c1\u{85}", "ls\u{2028}",
        "\"; } protocol bgp x { \"",
    ])
    func refusesWhatBIRDCannotCarry(_ value: String) {
        #expect(BirdText.quoted(value) == nil)
    }

    @Test func commentsStayOnOneLine() {
        #expect(BirdText.comment("a\nrouter id 1.2.3.4;\r\u{2028}b") == "a router id 1.2.3.4;  b")
        #expect(!BirdText.comment("x\u{0}\u{1B}[31m").contains { $0.isNewline })
    }

    @Test func symbolsAreValidAndPrefixed() {
        #expect(BirdText.symbolBase("client", "static") == "client_static")
        #expect(BirdText.symbolBase("client", "kvm-01.dc") == "client_kvm_01_dc")
        #expect(BirdText.symbolBase("rr", "ünï") == "rr__n_")
        // ASCII names map byte by byte, a CR LF as two characters as before.
        #expect(BirdText.symbolBase("client", "a\r\nb c\u{0}d") == "client_a__b_c_d")
        // A long name is cut to 64 characters, whatever follows.
        let pools = (1...10_000).map { "pool-\($0)" }.joined(separator: "\u{0}")
        #expect(
            BirdText.symbolBase("pools", pools) == "pools_pool_1_pool_2_pool_3_pool_4_pool_5_pool_6_pool_7_pool_8_po")
        #expect(
            BirdText.symbolBase("rr", String(repeating: "ü", count: 100)) == "rr_" + String(repeating: "_", count: 61))
        let long = BirdText.symbolBase("client", String(repeating: "x", count: 100))
        #expect(long.count == 64)
        #expect(long.wholeMatch(of: /[A-Za-z_][A-Za-z0-9_]*/) != nil)
    }

    @Test func clashesGetStableSuffixes() {
        var symbols = BirdSymbols()
        #expect(symbols.symbol("client", "kvm-1") == "client_kvm_1")
        #expect(symbols.symbol("client", "kvm.1") == "client_kvm_1_2")
        #expect(symbols.symbol("client", "kvm_1") == "client_kvm_1_3")
        #expect(symbols.symbol("client", "kvm-1") == "client_kvm_1", "the same name keeps its symbol")
        let a = symbols.symbol("client", String(repeating: "a", count: 70) + "-")
        let b = symbols.symbol("client", String(repeating: "a", count: 70) + ".")
        #expect(a.count == 64 && b.count == 64 && a != b)
        #expect(symbols.symbol(exactly: "pod_blocks") == "pod_blocks")
    }

    @Test func versionsCompareByRelease() throws {
        let v = try #require(BirdVersion("2.0.11"))
        #expect(BirdVersion("2.0")! < v)
        #expect(BirdVersion("2.0.12")! > v)
        #expect(BirdVersion("2.15")! > v)
        #expect(BirdVersion("2")! == BirdVersion("2.0.0")!)
        #expect(BirdVersion("1.6.8")!.isSupported == false)
        #expect(BirdVersion("3.0")!.isSupported == false)
        for bad in ["", "2.", ".2", "2.0-rc1", "v2", "2.0.0.1", "2..0", "99999.0", "+2", "٢.0"] {
            #expect(BirdVersion(bad) == nil, "\(bad)")
        }
    }
}

@Suite struct AddressCoverTests {
    func v4(_ s: String) -> IPAddress {
        let parts = s.split(separator: ".").map { UInt32($0)! }
        return .v4(IPv4Address(parts.reduce(0) { $0 << 8 | $1 }))
    }

    @Test func coversARangeExactly() {
        let cover = AddressCover.prefixes(of: AddressRange(first: v4("203.0.113.10"), last: v4("203.0.113.250")))
        #expect(
            cover.map(\.description) == [
                "203.0.113.10/31", "203.0.113.12/30", "203.0.113.16/28", "203.0.113.32/27", "203.0.113.64/26",
                "203.0.113.128/26", "203.0.113.192/27", "203.0.113.224/28", "203.0.113.240/29", "203.0.113.248/31",
                "203.0.113.250/32",
            ])
        // Exactly the range: the sizes add up and the blocks touch.
        #expect(cover.reduce(UInt128(0)) { $0 + $1.size } == 241)
    }

    @Test func edgeRanges() {
        #expect(
            AddressCover.prefixes(of: AddressRange(first: v4("10.0.0.5"), last: v4("10.0.0.5"))).map(\.description) == [
                "10.0.0.5/32"
            ])
        #expect(
            AddressCover.prefixes(of: AddressRange(first: v4("0.0.0.0"), last: v4("255.255.255.255"))).map(
                \.description) == ["0.0.0.0/0"])
        #expect(
            AddressCover.prefixes(of: AddressRange(first: v4("255.255.255.254"), last: v4("255.255.255.255"))).map(
                \.description) == ["255.255.255.254/31"])
        let all6 = AddressRange(first: .v6(IPv6Address(0)), last: .v6(IPv6Address(UInt128.max)))
        #expect(AddressCover.prefixes(of: all6).map(\.description) == ["::/0"])
        let tail6 = AddressRange(first: .v6(IPv6Address(1)), last: .v6(IPv6Address(UInt128.max)))
        #expect(AddressCover.prefixes(of: tail6).count == 128)
    }

    /// Random ranges: the cover holds exactly the range's addresses.
    @Test func randomRangesAreCoveredExactly() {
        var rng = SystemRandomNumberGenerator()
        for _ in 0..<2000 {
            let a = UInt32.random(in: 0...UInt32.max, using: &rng)
            let b = UInt32.random(in: 0...UInt32.max, using: &rng)
            let (lo, hi) = (min(a, b), max(a, b) &>> UInt32.random(in: 0...31, using: &rng))
            let range = AddressRange(first: .v4(IPv4Address(lo)), last: .v4(IPv4Address(max(lo, hi))))
            let cover = AddressCover.prefixes(of: range)
            #expect(cover.first?.first == range.first.number)
            #expect(cover.last?.last == range.last.number)
            #expect(zip(cover, cover.dropFirst()).allSatisfy { $0.last + 1 == $1.first })
            #expect(cover.count <= 62)
        }
    }
}
