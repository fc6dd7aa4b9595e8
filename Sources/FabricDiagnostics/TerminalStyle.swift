/// ANSI styling, applied only when colour is on.
struct TerminalStyle: Sendable {
    let enabled: Bool

    func paint(_ text: String, _ codes: String) -> String {
        enabled && !text.isEmpty ? "\u{1B}[\(codes)m\(text)\u{1B}[0m" : text
    }

    func severity(_ s: Severity, _ text: String) -> String {
        switch s {
        case .error: paint(text, "1;31")
        case .warning: paint(text, "1;33")
        case .note: paint(text, "1;32")
        }
    }

    func bold(_ text: String) -> String { paint(text, "1") }
    func gutter(_ text: String) -> String { paint(text, "1;34") }
}
