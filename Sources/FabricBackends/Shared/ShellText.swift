/// POSIX `sh` quoting for the generated scripts (ESXi's busybox `ash`, and
/// Linux `sh`).
enum ShellText {
    /// `value` as one `sh` word: in single quotes, where nothing is special,
    /// with each `'` written as `'\''`. Safe for any input, including `$(…)`,
    /// backticks, `;`, line breaks and a leading `-` (the scripts pass values
    /// as `--flag=value`, never as a separate word an option parser could take).
    static func quoted(_ value: String) -> String {
        "'" + value.replacingOccurrences(of: "'", with: #"'\''"#) + "'"
    }

    /// A `#` comment's text: one line, whatever it is given.
    static func comment(_ text: String) -> String {
        String(text.unicodeScalars.map { $0.value < 0x20 || $0.value == 0x7F ? " " : Character($0) })
    }
}
