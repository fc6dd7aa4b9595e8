import Mustache

// Template lookups by name, without reflection (see BirdConfig+Mustache.swift).

extension EsxiScript: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "header": self.header
        case "host": self.host
        case "steps": self.steps
        default: nil
        }
    }
}

extension EsxiStep: MustacheParent {
    func child(named key: String) -> Any? {
        switch key {
        case "comment": self.comment
        case "guardCondition": self.guardCondition
        case "command": self.command
        default: nil
        }
    }
}
