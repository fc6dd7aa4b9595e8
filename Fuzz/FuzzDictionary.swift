import FabricSyntax

/// The libFuzzer dictionary (`-dict=`), made from the language schema so it
/// cannot drift from it: every block keyword, attribute and keyword value,
/// the reserved words, a sample literal of every value type, and the
/// punctuation of the grammar and of the fuzz input format.
enum FuzzDictionary {
    static func entries() -> [String] {
        var words: [String] = []
        for block in LanguageSchema.blocks {
            words.append(block.keyword)
            for attribute in block.attributes {
                words.append(attribute.name)
                words += samples(of: attribute.type)
            }
        }
        words += LanguageSchema.reservedWords
        words += punctuation
        var seen = Set<String>()
        return words.filter { seen.insert($0).inserted }
    }

    /// Literals a value of `type` is written with, edge values included.
    /// The switch is exhaustive: a new value type does not build until it
    /// has samples here.
    static func samples(of type: ValueType) -> [String] {
        switch type {
        case .integer: ["0", "1", "1500", "9000", "65535", "4294967295", "9223372036854775807"]
        case .string: ["\"\"", "\"x\"", "\"${i}\"", "\"${i:02}\"", "\"\\\"\"", "\"\\u{1F511}\"", "\"\\$\""]
        case .name: ["eth0", "\"VM Network\"", "vmnic0"]
        case .address: ["10.0.0.1", "0.0.0.0", "255.255.255.255", "2001:db8::1", "::", "::ffff:192.0.2.1"]
        case .prefix: ["10.0.0.0/24", "0.0.0.0/0", "10.0.0.0/32", "2001:db8::/64", "::/0", "198.51.100.0/28 + 2"]
        case .addressRange: ["10.0.0.10..10.0.0.20", "2001:db8::10..2001:db8::20"]
        case .asn: ["65000", "4200000000", "1.10", "65535.65535", "23456"]
        case .vlan: ["0", "1", "4094", "4095"]
        case .vlanRange: ["100..199", "1..4094"]
        case .mac: ["52:54:00:12:34:56", "01:00:5e:00:00:01", "ff:ff:ff:ff:ff:ff"]
        case .duration: ["90s", "250ms", "3m", "1h", "0s"]
        case .keyword(let words): words
        case .reference: []
        }
    }

    static let punctuation: [String] = [
        "{", "}", ";", ",", "..", "${", ":", "/", "+", "-", "*", "%", "(", ")", "\"", "\\", "#", "//", "/*", "*/", "\n",
        "\r\n", " = ", "for i in 1..4 {", "include \"", ".fab\"",
        // The fuzz input format (FuzzInput): more files, the environment, a previous build.
        "\n#>>> ", "\n#>>> @env\n", "BGP_PASSWORD=", "\n#>>> @previous/antrea/ippools.yaml\n",
        "\n#>>> @allow-breaking\n", "\n#>>> @warnings-as-errors\n", "\n#>>> sub/a.fab\n", "../",
        // The allocation lock beside the entry, and its lines.
        "\n#>>> main.fab.lock\n", "vm web1 ip 10.0.0.5 pool public\n", "vm web1 mac 0e:fa:b0:00:00:01\n",
        "pod p1 ip 10.0.0.6 pool public\n", "quarantine ip 10.0.0.7 pool public was vm old\n",
        "quarantine mac 0e:fa:b0:00:00:09 was vm old\n", "<<<<<<< HEAD\n", "=======\n",
    ]

    /// The dictionary in libFuzzer's format: one `"…"` entry per line.
    static func text() -> String {
        var out = "# libFuzzer dictionary of the fabric language, written by `fabricc-fuzz --write-dict`\n"
        out += "# from LanguageSchema (Sources/FabricSyntax/LanguageSchema.swift).\n"
        for entry in entries() {
            var escaped = ""
            for byte in entry.utf8 {
                switch byte {
                case UInt8(ascii: "\""): escaped += "\\\""
                case UInt8(ascii: "\\"): escaped += "\\\\"
                case 0x20...0x7E: escaped.append(Character(Unicode.Scalar(byte)))
                default: escaped += "\\x" + (byte < 16 ? "0" : "") + String(byte, radix: 16, uppercase: true)
                }
            }
            out += "\"\(escaped)\"\n"
        }
        return out
    }
}
