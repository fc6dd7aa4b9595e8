// Template lookups by name, without reflection (see BirdConfig+Template.swift).

extension EsxiScript: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "header": header.templateValue
        case "host": host.templateValue
        case "steps": steps.templateValue
        default: nil
        }
    }
}

extension EsxiStep: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "comment": comment.templateValue
        case "guardCondition": guardCondition.templateValue
        case "command": command.templateValue
        default: nil
        }
    }
}
