/// One statement of a Junos configuration: the view model that the text,
/// `set` and XML forms are all laid out from, so they cannot disagree.
indirect enum JunosStatement: Sendable, Hashable {
    /// `keyword [key] { … }`, laid out as `layout` says in the text form. A
    /// `replace` block is fabricc's own: loading replaces it whole, so what
    /// the intent no longer holds goes away.
    case block(String, key: JunosKey? = nil, [JunosStatement], layout: JunosLayout = .braces, replace: Bool = false)
    /// `keyword value;`; a `text` value is free text and always quoted.
    case leaf(String, String, text: Bool = false)
    /// `keyword;`
    case flag(String)
    /// A bare list member, `203.0.113.0/24;`; in XML `<element><name>…</name></element>`.
    case entry(String, element: String)
}

/// The identifier of a block (`group s5-reflectors`) and the XML element
/// that holds it (`name`, `address`, `as-number`, …).
struct JunosKey: Sendable, Hashable {
    let value: String
    let element: String

    init(_ value: String, element: String = "name") {
        self.value = value
        self.element = element
    }
}

/// How a block is written in the curly-brace form (the `set` and XML forms
/// do not vary).
enum JunosLayout: Sendable, Hashable {
    /// `keyword key {`, its children, `}`.
    case braces
    /// On one line, as Junos shows it: `route-filter 10.0.0.0/8 exact;`.
    case inline
    /// Its keyword written before each child's: `family inet { … }`, where
    /// the XML has `<family><inet>…</inet></family>`.
    case prefix
}
