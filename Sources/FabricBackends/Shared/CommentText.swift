import FabricBase

/// What no comment line of any target may hold: a character some reader
/// takes as a line break (LF, CR, and for YAML 1.1 NEL, U+2028, U+2029),
/// any other control character (C0, DEL, C1: ESC would also drive the
/// terminal of whoever reads the file), a byte-order mark, and the
/// noncharacters U+FFFE and U+FFFF, which XML and YAML refuse. Each
/// target's comment function replaces these with a space, so a file name
/// (any text a user controls) stays one line of comment.
enum CommentText {
    static func isUnsafe(_ c: Unicode.Scalar) -> Bool {
        let v = c.value
        return v < 0x20 || v == 0x7F || (0x80...0x9F).contains(v) || v == 0x2028 || v == 0x2029
            || v == 0xFEFF || v == 0xFFFE || v == 0xFFFF
    }

    /// `text` with every unsafe character replaced by a space.
    static func oneLine(_ text: String) -> String {
        // Printable ASCII, by far the common case, needs no new string.
        if text.allUTF8({ $0 >= 0x20 && $0 < 0x7F }) { return text }
        return String(String.UnicodeScalarView(text.unicodeScalars.map { isUnsafe($0) ? " " : $0 }))
    }
}
