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
    static func quoted(_ value: String) -> String {
        var out = "'"
        for ch in value {
            switch ch {
            case "'": out += #"'\''"#
            case "$": out += #"'\$'"#
            case "`": out += #"'\`'"#
            default: out.append(ch)
            }
        }
        return out + "'"
    }

    /// A `#` comment's text: one line, whatever it is given.
    static func comment(_ text: String) -> String { CommentText.oneLine(text) }
}
