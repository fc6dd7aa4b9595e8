import FabricBase
import FabricDiagnostics
import Testing

@testable import FabricSyntax

@Suite struct LexerTests {
    @Test func integersAndDurations() {
        #expect(
            literals("0 42 9223372036854775807 90s 250ms 3m 1h") == [
                .integer(0), .integer(42), .integer(Int64.max),
                .duration(milliseconds: 90_000), .duration(milliseconds: 250),
                .duration(milliseconds: 180_000), .duration(milliseconds: 3_600_000),
            ])
    }

    @Test func integerErrors() {
        #expect(codes(lex("0100").diagnostics) == ["FAB1014"])
        #expect(codes(lex("9223372036854775808").diagnostics) == ["FAB1014"])
        #expect(codes(lex("12ab").diagnostics) == ["FAB1014"])
        #expect(codes(lex("99999999999999999999h").diagnostics) == ["FAB1017"])
    }

    @Test func ipv4AndPrefixes() {
        #expect(
            literals("10.0.0.1 0.0.0.0 255.255.255.255 10.0.0.0/8 0.0.0.0/0 192.0.2.7/32") == [
                .ipv4(IPv4Address(0x0A00_0001)), .ipv4(IPv4Address(0)), .ipv4(IPv4Address(0xFFFF_FFFF)),
                .prefix4(IPv4Address(0x0A00_0000), length: 8), .prefix4(IPv4Address(0), length: 0),
                .prefix4(IPv4Address(0xC000_0207), length: 32),
            ])
    }

    @Test(arguments: [
        ("10.0.0.256", "FAB1010"), ("10.0.01.1", "FAB1010"), ("10.0.0", "FAB1018"),
        ("1.2.3.4.5", "FAB1018"), ("10.0.0.0/33", "FAB1012"), ("10.0.0.1/24", "FAB1013"),
        ("10.0.0.0/999999999999", "FAB1012"), ("65536.1", "FAB1015"), ("1.065", "FAB1015"),
    ])
    func ipv4Errors(text: String, code: String) {
        let result = lex(text)
        #expect(codes(result.diagnostics) == [code])
        // One poisoned literal, then end of file: the mistake is one token.
        #expect(result.tokens.map(\.kind) == [.literal, .eof])
    }

    @Test func hostBitsHelpNamesTheNetwork() {
        let d = lex("203.0.113.1/24").diagnostics[0]
        #expect(d.help?.contains("`203.0.113.0/24`") == true)
        let d6 = lex("2001:db8::1/64").diagnostics[0]
        #expect(d6.code == .prefixHostBits)
        #expect(d6.help?.contains("`2001:db8::/64`") == true)
    }

    @Test func asdot() {
        #expect(literals("1.10 0.65535 65535.65535") == [.asdot(65546), .asdot(65535), .asdot(UInt32.max)])
    }

    @Test(arguments: [
        ("::", "::"), ("::1", "::1"), ("2001:db8::1", "2001:db8::1"),
        ("2001:0db8:0000:0000:0000:0000:0000:0001", "2001:db8::1"),
        ("2001:db8:0:1:0:0:0:1", "2001:db8:0:1::1"), ("fe80::", "fe80::"),
        ("::ffff:192.0.2.1", "::ffff:192.0.2.1"), ("::ffff:c000:201", "::ffff:192.0.2.1"),
        ("2001:db8:1:2:3:4:5:6", "2001:db8:1:2:3:4:5:6"),
        ("2001:db8::1:0:0:1", "2001:db8::1:0:0:1"), ("ABCD:EF01::", "abcd:ef01::"),
    ])
    func ipv6RoundTrip(text: String, canonical: String) {
        let values = literals(text)
        #expect(values.count == 1)
        guard case .ipv6(let address)?? = values.first else {
            Issue.record("not an IPv6 literal: \(values)")
            return
        }
        #expect(address.description == canonical)
    }

    @Test(arguments: [
        "2001:db8:::1", "1:2:3:4:5:6:7:8:9", "2001:db8::12345", "1::2::3", "1:2:3:4:5:6:7",
        "::ffff:300.0.0.1", "::1.2.3.4:5",
    ])
    func ipv6Errors(text: String) {
        #expect(codes(lex(text).diagnostics) == ["FAB1011"])
    }

    @Test func ipv6Prefixes() {
        #expect(
            literals("2001:db8::/32 ::/0 2001:db8::1/128") == [
                .prefix6(IPv6Address(UInt128(0x2001_0db8) << 96), length: 32),
                .prefix6(IPv6Address(0), length: 0),
                .prefix6(IPv6Address(UInt128(0x2001_0db8) << 96 | 1), length: 128),
            ])
        #expect(codes(lex("2001:db8::/129").diagnostics) == ["FAB1012"])
    }

    /// The byte scan the name checks use agrees with the byte view's own,
    /// on small, large, non-ASCII, empty and substring-made strings.
    @Test func allUTF8AgreesWithTheByteView() {
        let printable: (UInt8) -> Bool = { $0 >= 0x20 && $0 < 0x7F }
        let long = String(repeating: "kvm1-vm1 ", count: 100)
        for s in ["", "a", "kvm1-vm1", long, long + "\n", "caf\u{e9}", "a\u{301}", String(long.dropFirst(3))] {
            #expect(s.allUTF8(printable) == s.utf8.allSatisfy(printable), "\(s.debugDescription)")
        }
    }

    /// Printed byte by byte; every octet value in every position reads as
    /// interpolation would write it.
    @Test func ipv4AddressesPrintInDottedQuad() {
        for octet in UInt32(0)...255 {
            for shift: UInt32 in [0, 8, 16, 24] {
                let value = (octet << shift) | (shift == 0 ? 0x0A00_0000 : 7)
                let expected =
                    "\(value >> 24).\((value >> 16) & 0xFF).\((value >> 8) & 0xFF).\(value & 0xFF)"
                #expect(IPv4Address(value).description == expected)
            }
        }
        #expect(IPv4Address(0xFFFF_FFFF).description == "255.255.255.255")
        #expect(IPv4Address(0).description == "0.0.0.0")
    }

    @Test func macAddresses() {
        #expect(literals("52:54:00:AB:cd:0f") == [.mac(MACAddress(0x5254_00AB_CD0F))])
        #expect(MACAddress(0x5254_00AB_CD0F).description == "52:54:00:ab:cd:0f")
        #expect(MACAddress(0).description == "00:00:00:00:00:00")
        #expect(MACAddress(0xFFFF_FFFF_FFFF).description == "ff:ff:ff:ff:ff:ff")
        #expect(codes(lex("52:54:00:ab:cd:f").diagnostics) == ["FAB1016"])
    }

    @Test func namesWithHexLettersAndColonsStayNames() {
        // `fe80` alone is a name; `abc:def` is a name, an error, a name.
        #expect(lex("fe80 deadbeef face").tokens.map(\.kind) == [.identifier, .identifier, .identifier, .eof])
        let r = lex("abc:def")
        #expect(r.tokens.map(\.kind) == [.identifier, .invalid, .identifier, .eof])
        #expect(r.diagnostics.first?.help?.contains("`:`") == true)
    }

    @Test func rangesBetweenLiterals() {
        let r = lex("172.16.19.11..172.16.19.50 100..199 2001:db8::1..2001:db8::9")
        #expect(r.diagnostics.isEmpty)
        #expect(
            r.tokens.map(\.kind) == [
                .literal, .dotdot, .literal, .literal, .dotdot, .literal, .literal, .dotdot, .literal, .eof,
            ])
    }

    @Test func identifiersMayHoldDashes() {
        let r = lex("br-eth1 qvb-data _x a-")
        #expect(r.tokens.map(\.kind) == [.identifier, .identifier, .identifier, .identifier, .eof])
        #expect(r.tokens[0].end - r.tokens[0].start == 7)
    }

    @Test func stringEscapes() {
        let r = lex(#""a\"b\\c\nd\te\r\$\u{1F600}\u{e9}""#)
        #expect(r.diagnostics.isEmpty)
        #expect(r.tokens[0].payload == .string([.text("a\"b\\c\nd\te\r$\u{1F600}\u{e9}")]))
    }

    /// A plain string (printable ASCII, no `\\` or `$`) skips the piece
    /// list; it parses to the same expression as one that takes the long
    /// way, and anything else still does.
    @Test func plainStringsTakeTheShortWay() {
        #expect(lex(#""kvm1-vm1""#).tokens[0].payload == .plainString("kvm1-vm1"))
        #expect(lex(#""""#).tokens[0].payload == .plainString(""))
        #expect(lex(#""a b; { } # x""#).tokens[0].payload == .plainString("a b; { } # x"))
        #expect(lex(#""caf\u{e9}""#).tokens[0].payload == .string([.text("caf\u{e9}")]))
        #expect(lex("\"café\"").tokens[0].payload == .string([.text("café")]))
        #expect(lex(#""a$b""#).tokens[0].payload == .string([.text("a$b")]))
        #expect(codes(lex("\"abc").diagnostics) == ["FAB1002"])
        #expect(codes(lex("\"a\tb\"").diagnostics) == ["FAB1006"])
        let short = parse("vm \"kvm1-vm1\" { pool \"\" }\n").syntax
        let long = parse("vm \"kvm1-\\u{76}m1\" { pool \"\" }\n").syntax
        guard case .block(let a) = short.items.first, case .block(let b) = long.items.first else {
            Issue.record("not blocks")
            return
        }
        #expect(a.labels.map(\.kind) == b.labels.map(\.kind))
        #expect(a.labels.first?.plainString == "kvm1-vm1")
    }

    @Test(arguments: [
        (#""a\q""#, "FAB1003"), (#""a\u{}""#, "FAB1003"), (#""\u{110000}""#, "FAB1003"),
        (#""\u{D800}""#, "FAB1003"), (#""\u41""#, "FAB1003"), ("\"abc", "FAB1002"),
        ("\"a\tb\"", "FAB1006"), ("\"${}\"", "FAB1007"), ("\"${i\"", "FAB1007"),
        ("\"${i:99}\"", "FAB1007"),
    ])
    func stringErrors(text: String, code: String) {
        #expect(codes(lex(text).diagnostics) == [code])
    }

    @Test func interpolationPieces() {
        let text = #""kvm${i:02}-${ "x}" }""#
        let r = lex(text)
        #expect(r.diagnostics.isEmpty)
        guard case .string(let pieces) = r.tokens[0].payload else {
            Issue.record("not a string")
            return
        }
        #expect(pieces.count == 4)
        #expect(pieces[0] == .text("kvm"))
        #expect(pieces[1] == .interpolation(start: 6, end: 7, width: 2))
        #expect(pieces[2] == .text("-"))
    }

    @Test func comments() {
        let r = lex("a # one\nb // two\nc /* three\n four */ d")
        #expect(r.diagnostics.isEmpty)
        #expect(r.tokens.map(\.kind) == [.identifier, .newline, .identifier, .newline, .identifier, .identifier, .eof])
        #expect(codes(lex("a /* never closed").diagnostics) == ["FAB1004"])
    }

    @Test func invalidUTF8IsReportedOnceAndSkipped() {
        var bytes = Array("host a { }".utf8)
        bytes.insert(contentsOf: [0xFF, 0xFE], at: 5)
        let r = Lexer.tokenize(bytes, file: FileID(0))
        #expect(codes(r.diagnostics) == ["FAB1005"])
        #expect(r.tokens.map(\.kind) == [.identifier, .invalid, .identifier, .lbrace, .rbrace, .eof])
        let inComment = Lexer.tokenize(Array("# caf".utf8) + [0xE9], file: FileID(0))
        #expect(codes(inComment.diagnostics) == ["FAB1005"])
    }

    @Test func unexpectedRunIsOneDiagnostic() {
        let r = lex("a @@@ b")
        #expect(r.diagnostics.count == 1)
        #expect(r.diagnostics[0].message.contains("`@@@`"))
    }

    @Test func newlinesCollapse() {
        #expect(lex("a\n\n\n\nb").tokens.map(\.kind) == [.identifier, .newline, .identifier, .eof])
    }

    @Test func subrangeLexingKeepsAbsoluteOffsets() {
        let bytes = Array("xxxx i + 1 yyyy".utf8)
        let r = Lexer.tokenize(bytes, file: FileID(3), range: 5..<10)
        #expect(r.tokens.map(\.start) == [5, 7, 9, 10])
    }
}
