import Foundation
import Yams

/// The part of OpenAPI v3 (as Kubernetes structural schemas use it) that the
/// IPPool CRD relies on: `type`, `required`, `properties`, `items`, `enum`,
/// `oneOf`, `minimum`, `maximum` and the `ipv4`, `ipv6` and `cidr` formats.
/// A field the schema does not list is an error: the API server would
/// silently prune it. `x-kubernetes-validations` compare with the old
/// object and are the `--previous` check's business.
struct OpenAPISchema {
    let schema: Node

    /// The schema of `version` in a CRD document.
    static func crd(_ text: String, version: String) throws -> OpenAPISchema? {
        let crd = try Yams.compose(yaml: text)
        let match = crd?["spec"]?["versions"]?.sequence?.first { $0["name"]?.string == version }
        return (match?["schema"]?["openAPIV3Schema"]).map(OpenAPISchema.init)
    }

    /// Every violation, as `path: problem`; empty when `value` is valid.
    func violations(_ value: Node) -> [String] { check(value, schema, "") }

    private func check(_ value: Node, _ schema: Node, _ path: String) -> [String] {
        var problems: [String] = []
        let at = path.isEmpty ? "." : path
        if let type = schema["type"]?.string, !Self.has(value, type: type) {
            return ["\(at): not of type \(type)"]
        }
        if let choices = schema["enum"]?.sequence, !choices.contains(where: { Self.same($0, value) }) {
            problems.append("\(at): not one of the enum values")
        }
        if let format = schema["format"]?.string, let text = value.string, !Self.matches(text, format: format) {
            problems.append("\(at): not a valid \(format)")
        }
        if let minimum = schema["minimum"]?.int, let n = value.int, n < minimum {
            problems.append("\(at): below \(minimum)")
        }
        if let maximum = schema["maximum"]?.int, let n = value.int, n > maximum {
            problems.append("\(at): above \(maximum)")
        }
        if let required = schema["required"]?.sequence, value.mapping != nil {
            for key in required.compactMap(\.string) where value[key] == nil {
                problems.append("\(at): missing \(key)")
            }
        }
        if let alternatives = schema["oneOf"]?.sequence {
            let passing = alternatives.filter { check(value, $0, path).isEmpty }.count
            if passing != 1 { problems.append("\(at): matches \(passing) of the oneOf alternatives, not exactly one") }
        }
        if let properties = schema["properties"], let mapping = value.mapping {
            for (key, child) in mapping {
                guard let name = key.string else {
                    problems.append("\(at): a key that is not a string")
                    continue
                }
                if let sub = properties[name] {
                    problems += check(child, sub, path + "." + name)
                } else if !(path.isEmpty && ["apiVersion", "kind", "metadata"].contains(name)) {
                    problems.append("\(path).\(name): unknown field, the API server would prune it")
                }
            }
        }
        if let items = schema["items"], let sequence = value.sequence {
            for (k, item) in sequence.enumerated() { problems += check(item, items, "\(path)[\(k)]") }
        }
        return problems
    }

    /// YAML 1.1 typing of a scalar: quoted scalars are strings, plain ones
    /// are resolved the way Kubernetes' reader does for these types.
    static func has(_ value: Node, type: String) -> Bool {
        switch type {
        case "object": return value.mapping != nil
        case "array": return value.sequence != nil
        case "string":
            return value.scalar.map {
                $0.style != .plain || (value.int == nil && value.bool == nil && value.null == nil)
            } ?? false
        case "integer": return value.scalar?.style == .plain && value.int != nil
        case "boolean": return value.scalar?.style == .plain && value.bool != nil
        default: return false
        }
    }

    static func same(_ a: Node, _ b: Node) -> Bool {
        if let x = a.int, let y = b.int, a.scalar?.style == .plain, b.scalar?.style == .plain { return x == y }
        return a.string == b.string && a.scalar?.style == b.scalar?.style
    }

    static func matches(_ text: String, format: String) -> Bool {
        switch format {
        case "ipv4": return isIPv4(text)
        case "ipv6": return isIPv6(text)
        case "cidr":
            let parts = text.split(separator: "/", omittingEmptySubsequences: false)
            guard parts.count == 2, let length = Int(parts[1]), String(length) == parts[1] else { return false }
            return (isIPv4(String(parts[0])) && (0...32).contains(length))
                || (isIPv6(String(parts[0])) && (0...128).contains(length))
        default: return true
        }
    }

    static func isIPv4(_ text: String) -> Bool {
        let parts = text.split(separator: ".", omittingEmptySubsequences: false)
        return parts.count == 4
            && parts.allSatisfy { p in
                guard let n = Int(p), (0...255).contains(n) else { return false }
                return String(n) == p
            }
    }

    static func isIPv6(_ text: String) -> Bool {
        var address = in6_addr()
        return text.contains(":") && inet_pton(AF_INET6, text, &address) == 1
    }
}
