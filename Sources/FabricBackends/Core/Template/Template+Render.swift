extension Template {
    /// Lays out `model` with this template.
    func render(_ model: some TemplateNode) -> String {
        var output = ""
        var stack: [TemplateValue] = [.node(model)]
        Self.render(parts, stack: &stack, into: &output, names: nil)
        return output
    }

    /// Lays out `model` and adds to `names` every name a view model
    /// answered: the template tests require each name a template holds to
    /// be answered by some golden intent's model, so no name sits unchecked
    /// inside a section no test enters.
    func render(_ model: some TemplateNode, answering names: inout Set<String>) -> String {
        var output = ""
        var stack: [TemplateValue] = [.node(model)]
        let log = NameLog()
        Self.render(parts, stack: &stack, into: &output, names: log)
        names.formUnion(log.names)
        return output
    }

    /// Every name the template holds, in sections or not.
    var names: Set<String> {
        func collect(_ parts: [Part], into names: inout Set<String>) {
            for part in parts {
                switch part {
                case .text, .variable(.current): break
                case .variable(.named(let name)): names.insert(name)
                case .section(let name, let body), .invertedSection(let name, let body):
                    if case .named(let n) = name { names.insert(n) }
                    collect(body, into: &names)
                }
            }
        }
        var names: Set<String> = []
        collect(parts, into: &names)
        return names
    }

    private final class NameLog {
        var names: Set<String> = []
    }

    private static func render(
        _ parts: [Part], stack: inout [TemplateValue], into output: inout String, names: NameLog?
    ) {
        for part in parts {
            switch part {
            case .text(let text):
                output += text
            case .variable(let name):
                write(lookup(name, in: stack, names: names), into: &output)
            case .section(let name, let body):
                switch lookup(name, in: stack, names: names) {
                case .empty, .flag(false):
                    break
                case .flag(true):
                    render(body, stack: &stack, into: &output, names: names)
                case .list(let list):
                    for index in 0..<list.count {
                        stack.append(list.element(index))
                        render(body, stack: &stack, into: &output, names: names)
                        stack.removeLast()
                    }
                case let value:
                    stack.append(value)
                    render(body, stack: &stack, into: &output, names: names)
                    stack.removeLast()
                }
            case .invertedSection(let name, let body):
                let shown =
                    switch lookup(name, in: stack, names: names) {
                    case .empty, .flag(false): true
                    case .list(let list): list.count == 0
                    case .flag(true), .text, .node: false
                    }
                if shown { render(body, stack: &stack, into: &output, names: names) }
            }
        }
    }

    /// The value of `name`: the top of the stack for `.`, else the first
    /// model from the top that has the name (Mustache's context lookup).
    private static func lookup(_ name: Name, in stack: [TemplateValue], names: NameLog?) -> TemplateValue {
        switch name {
        case .current:
            return stack[stack.count - 1]
        case .named(let key):
            var known = false
            for value in stack.reversed() {
                guard case .node(let node) = value, let found = node.value(named: key) else { continue }
                known = true
                names?.names.insert(key)
                if case .empty = found { continue }
                return found
            }
            // A misspelt name is fabricc's bug, never empty text in a config.
            precondition(known, "fabricc: a template names `\(key)`, which no view model on its stack has")
            return .empty
        }
    }

    private static func write(_ value: TemplateValue, into output: inout String) {
        switch value {
        case .text(let text): output += text
        case .flag(let flag): output += flag ? "true" : "false"
        // A list or a model has no text of its own; the engine-equivalence
        // test would show a template that names one as a variable.
        case .empty, .list, .node: break
        }
    }
}
