import FabricBase
import FabricDiagnostics
import FabricSyntax

/// The value of an expression after loop variables are substituted and
/// arithmetic is done; not yet typed against what the keyword expects.
public enum Value: Hashable, Sendable {
    case integer(Int64)
    case address(IPAddress)
    case prefix(IPPrefix)
    case asdot(UInt32)
    case mac(MACAddress)
    case duration(milliseconds: Int64)
    case string(String)
    /// A bare name that is not a loop variable: a keyword value or a reference.
    case word(String)
    indirect case range(Value, Value)

    /// What it is, in words, for messages.
    public var kindName: String {
        switch self {
        case .integer: "an integer"
        case .address(let a): a.isV4 ? "an IPv4 address" : "an IPv6 address"
        case .prefix(let p): p.network.isV4 ? "an IPv4 prefix" : "an IPv6 prefix"
        case .asdot: "an asdot AS number"
        case .mac: "a MAC address"
        case .duration: "a duration"
        case .string: "a string"
        case .word: "a name"
        case .range: "a range"
        }
    }

    public var text: String {
        switch self {
        case .integer(let v): String(v)
        case .address(let a): a.description
        case .prefix(let p): p.description
        case .asdot(let v): "\(v >> 16).\(v & 0xFFFF)"
        case .mac(let m): m.description
        case .duration(let ms): LiteralValue.duration(milliseconds: ms).description
        case .string(let s): s
        case .word(let w): w
        case .range(let a, let b): "\(a.text)..\(b.text)"
        }
    }
}

/// Which loop iteration generated a declaration: the loop variables' values
/// and the innermost loop. Formatted only when printed.
public struct LoopTrace: Sendable, Hashable {
    public let bindings: [LoopBinding]
    public let loop: Span

    /// "`i = 3`, `v = 1` of the loop at main.fab:5:1"
    public func describe(_ sources: SourceMap) -> String {
        let loc = sources.location(of: loop)
        return bindings.map { "`\($0.name) = \($0.value)`" }.joined(separator: ", ")
            + " of the loop at \(sources[loop.file].displayPath):\(loc.line):\(loc.column)"
    }
}

public struct LoopBinding: Sendable, Hashable {
    public let name: String
    public let value: Int64
}
