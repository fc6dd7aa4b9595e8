// Template lookups by name, without reflection (see BirdConfig+Template.swift).

extension OvsScript: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "header": header.templateValue
        case "host": host.templateValue
        case "tools": tools.templateValue
        case "steps": steps.templateValue
        case "ipFabric": ipFabric.templateValue
        case "links": links.templateValue
        case "ovs": ovs.templateValue
        case "virsh": virsh.templateValue
        default: nil
        }
    }
}

extension OvsIPFabric: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "vms": vms.templateValue
        case "own": own.templateValue
        default: nil
        }
    }
}

extension OvsRoutedVMTable: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "header": header.templateValue
        case "rows": rows.templateValue
        default: nil
        }
    }
}

extension OvsStep: TemplateNode {
    func value(named key: String) -> TemplateValue? {
        switch key {
        case "comment": comment.templateValue
        case "guardCondition": guardCondition.templateValue
        case "commands": commands.templateValue
        default: nil
        }
    }
}
