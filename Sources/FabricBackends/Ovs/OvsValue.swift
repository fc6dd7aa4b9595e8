/// Values as `ovs-vsctl` reads them in `column=value` and `column:key=value`
/// arguments: an OVSDB string atom may be written bare only when it looks
/// like an identifier; anything else is a JSON string literal. The result is
/// one more layer inside the shell quoting (`ShellText.quoted`), never instead.
enum OvsValue {
    /// `value` as an OVSDB string atom: bare when it is a plain identifier
    /// (a letter or `_`, then letters, digits, `_`, `-`, `.`) that cannot be
    /// read as a boolean, otherwise in double quotes with JSON escapes.
    static func string(_ value: String) -> String {
        isPlainIdentifier(value) ? value : quoted(value)
    }

    static func isPlainIdentifier(_ value: String) -> Bool {
        guard let first = value.unicodeScalars.first, isLetter(first) || first == "_" else { return false }
        guard value != "true", value != "false" else { return false }
        return value.unicodeScalars.allSatisfy {
            isLetter($0) || ("0"..."9").contains($0) || $0 == "_" || $0 == "-" || $0 == "."
        }
    }

    /// A JSON string literal: `"` and `\` escaped, control characters as
    /// `\uXXXX`; everything else, UTF-8 included, as it is.
    static func quoted(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "\"": out += "\\\""
            case "\\": out += "\\\\"
            case "\n": out += "\\n"
            case "\t": out += "\\t"
            case "\r": out += "\\r"
            default:
                if scalar.value < 0x20 || scalar.value == 0x7F {
                    let hex = String(scalar.value, radix: 16)
                    out += "\\u" + String(repeating: "0", count: 4 - hex.count) + hex
                } else {
                    out.unicodeScalars.append(scalar)
                }
            }
        }
        return out + "\""
    }

    private static func isLetter(_ s: Unicode.Scalar) -> Bool { ("a"..."z").contains(s) || ("A"..."Z").contains(s) }
}
