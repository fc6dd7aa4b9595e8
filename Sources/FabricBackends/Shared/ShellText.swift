/// POSIX `sh` quoting for the generated scripts (ESXi's busybox `ash`, and
/// Linux `sh`).
enum ShellText {
    /// `value` as one `sh` word: in single quotes, where nothing is special,
    /// with each `'` written as `'\''`. Safe for any input, including `$(…)`,
    /// backticks, `;` and line breaks. A leading `-` is safe only where no
    /// option parser reads the word: the ESXi scripts pass values as
    /// `--flag=value`, the OVS scripts after a keyword (`dev`, `name`,
    /// `--domain`), and interface names cannot start with `-` (FAB6001).
    /// `$` and backticks are written outside the quotes too (`'\$'`): the
    /// same word to `sh`, and shellcheck then sees no expansion meant to
    /// happen inside single quotes (SC2016).
    ///
    /// It works on UTF-8 bytes, not Characters: a combining mark after a `'`
    /// makes one Character of the two, which a Character comparison would
    /// not see as a quote (and `sh` would end the word there). The three
    /// specials are ASCII, and no byte of a multi-byte UTF-8 sequence is.
    static func quoted(_ value: String) -> String {
        var out: [UInt8] = []
        appendQuoted(value, to: &out)
        return String(decoding: out, as: UTF8.self)
    }

    /// Appends ``quoted(_:)``'s bytes to `out`, for a line built in one buffer.
    static func appendQuoted(_ value: String, to out: inout [UInt8]) {
        let utf8 = value.utf8
        var specials = 0
        for b in utf8 where b == 0x27 || b == 0x24 || b == 0x60 { specials += 1 }
        out.reserveCapacity(out.count + utf8.count + 2 + 3 * specials)
        out.append(0x27)
        if specials == 0 {
            out.append(contentsOf: utf8)
        } else {
            for b in utf8 {
                switch b {
                case 0x27: out.append(contentsOf: #"'\''"#.utf8)
                case 0x24: out.append(contentsOf: #"'\$'"#.utf8)
                case 0x60: out.append(contentsOf: #"'\`'"#.utf8)
                default: out.append(b)
                }
            }
        }
        out.append(0x27)
    }

    /// A `#` comment's text: one line, whatever it is given.
    static func comment(_ text: String) -> String { CommentText.oneLine(text) }
}
