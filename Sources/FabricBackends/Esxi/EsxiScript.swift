/// The view model of one ESXi host's script: each step is one `esxcli`
/// command (its arguments after `esxcli`, every value already quoted), run
/// only when its guard says the object is absent, or always when it is an
/// idempotent `set`.
struct EsxiScript {
    let header: [String]
    let host: String
    let steps: [EsxiStep]
}

struct EsxiStep {
    /// A comment line before the step, for the first step of each object.
    let comment: String?
    /// A shell condition true when the object is still missing; nil for `set`s.
    let guardCondition: String?
    let command: String
}
