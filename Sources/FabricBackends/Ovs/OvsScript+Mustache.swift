import Mustache

// Template lookups by name, without reflection (see BirdConfig+Mustache.swift).

extension OvsScript: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "header": self.header
        case "host": self.host
        case "tools": self.tools
        case "steps": self.steps
        default: nil
        }
    }
}

extension OvsStep: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "comment": self.comment
        case "guardCondition": self.guardCondition
        case "commands": self.commands
        default: nil
        }
    }
}
