/// What a template name stands for while a view model is laid out: text,
/// a flag, a list, a nested view model, or nothing.
///
/// The renderer switches over these cases instead of casting `Any` at every
/// lookup, which is what made general Mustache rendering the largest cost
/// of a big build.
enum TemplateValue {
    /// Nothing: `{{x}}` writes nothing, `{{#x}}` is skipped and `{{^x}}`
    /// shown; a lookup that finds it goes on down the context stack.
    case empty
    /// Text, written as it is (the templates lay out plain text).
    case text(String)
    /// A flag: shows `{{#x}}` or `{{^x}}` without changing the context.
    case flag(Bool)
    /// A list: `{{#x}}` is laid out once per element, with the element on
    /// top of the context stack; `{{^x}}` is shown when it is empty.
    case list(TemplateList)
    /// A view model whose names the template reads.
    case node(any TemplateNode)
}

/// A view model a template reads by name.
///
/// Each conforming type lists, in one `switch`, every name its template may
/// use. A name no model on the stack knows stops the render: a template
/// never lays out silent empty text for a misspelt name, and the template
/// tests render every template with the view models of every golden intent.
protocol TemplateNode: TemplateRepresentable {
    /// The value of `name`; nil when this model has no such name (the
    /// lookup then asks the models below it on the stack).
    func value(named name: String) -> TemplateValue?
}

extension TemplateNode {
    var templateValue: TemplateValue { .node(self) }
}

/// A Swift value that a template can name.
protocol TemplateRepresentable {
    var templateValue: TemplateValue { get }
}

/// The elements of a list, produced one at a time as the section walks them.
struct TemplateList {
    let count: Int
    let element: (Int) -> TemplateValue

    init<Element: TemplateRepresentable>(_ elements: [Element]) {
        count = elements.count
        element = { elements[$0].templateValue }
    }
}

extension String: TemplateRepresentable {
    var templateValue: TemplateValue { .text(self) }
}

extension Int: TemplateRepresentable {
    var templateValue: TemplateValue { .text(String(self)) }
}

extension Bool: TemplateRepresentable {
    var templateValue: TemplateValue { .flag(self) }
}

extension Optional: TemplateRepresentable where Wrapped: TemplateRepresentable {
    var templateValue: TemplateValue { self?.templateValue ?? .empty }
}

extension Array: TemplateRepresentable where Element: TemplateRepresentable {
    var templateValue: TemplateValue { .list(TemplateList(self)) }
}
