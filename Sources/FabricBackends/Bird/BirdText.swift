import FabricBase

/// How text reaches a BIRD config: the one place that quotes strings,
/// writes comments and makes symbols.
///
/// BIRD 2's lexer has no escapes in strings: a `"` ends the string and a
/// newline is an error, so such values are refused, never "escaped".
public enum BirdText {
    /// `value` as a BIRD string literal, or nil when BIRD cannot carry it
    /// (a `"`, a line break or another control character).
    public static func quoted(_ value: String) -> String? {
        guard
            !value.unicodeScalars.contains(where: {
                $0 == "\"" || $0.value < 0x20 || $0.value == 0x7F || (0x80...0x9F).contains($0.value)
                    || $0 == "\u{2028}" || $0 == "\u{2029}"
            })
        else { return nil }
        return "\"" + value + "\""
    }

    /// Text safe after `#`: one line, whatever the input holds.
    public static func comment(_ text: String) -> String { CommentText.oneLine(text) }

    /// The longest symbol BIRD 2 accepts.
    public static let maxSymbolLength = 64

    /// `prefix_name` with every character BIRD cannot take in a symbol
    /// replaced by `_`. The prefix (a lowercase word) keeps generated names
    /// clear of BIRD's keywords: a host called `static` becomes `client_static`.
    public static func symbolBase(_ prefix: String, _ name: String) -> String {
        // Every scalar becomes one ASCII character, so only the first ones
        // that fit are mapped (a set named after ten thousand pools has a
        // name of 100 KB).
        let room = max(0, maxSymbolLength - prefix.unicodeScalars.count - 1)
        // An ASCII name (nearly every one) maps byte by byte.
        if name.allUTF8({ $0 < 0x80 }) {
            var out = Array(prefix.utf8)
            out.append(UInt8(ascii: "_"))
            for b in name.utf8.prefix(room) {
                switch b {
                case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                    UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "_"):
                    out.append(b)
                default: out.append(UInt8(ascii: "_"))
                }
            }
            return String(String(decoding: out, as: UTF8.self).prefix(maxSymbolLength))
        }
        let body = String(
            String.UnicodeScalarView(
                name.unicodeScalars.prefix(room).map {
                    ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "_"
                        ? $0 : "_"
                }))
        return String((prefix + "_" + body).prefix(maxSymbolLength))
    }
}

/// Hands out BIRD symbols for one config: valid, at most 64 characters and
/// distinct, however the names they come from differ (`kvm-1`, `kvm.1` and
/// `kvm_1` all map to `kvm_1`). Ask in a stable order and the answer is stable:
/// the first asker keeps the plain name, later ones get `_2`, `_3`, …
struct BirdSymbols {
    private var taken: Set<String> = []
    private var assigned: [String: String] = [:]

    init(reserved: [String] = []) { taken = Set(reserved) }

    mutating func symbol(_ prefix: String, _ name: String) -> String {
        unique(prefix + "\u{0}" + name, base: BirdText.symbolBase(prefix, name))
    }

    /// A fixed name of fabricc's own (`pod_blocks`), kept distinct all the same.
    mutating func symbol(exactly name: String) -> String { unique(name, base: name) }

    private mutating func unique(_ key: String, base: String) -> String {
        if let s = assigned[key] { return s }
        var candidate = base
        var n = 2
        while taken.contains(candidate) {
            let suffix = "_\(n)"
            candidate = String(base.prefix(BirdText.maxSymbolLength - suffix.count)) + suffix
            n += 1
        }
        taken.insert(candidate)
        assigned[key] = candidate
        return candidate
    }
}
