import FabricBase

/// The value of a typed literal, decided by the lexer from its spelling.
///
/// Literals are already range-checked for what their spelling alone can
/// tell (octets, prefix lengths, host bits); whether a value fits where it
/// is used (VLAN 1–4094, AS numbers) is the type checker's business.
public enum LiteralValue: Hashable, Sendable, CustomStringConvertible {
    case integer(Int64)
    case ipv4(IPv4Address)
    case ipv6(IPv6Address)
    case prefix4(IPv4Address, length: UInt8)
    case prefix6(IPv6Address, length: UInt8)
    /// An AS number written in asdot notation (`1.10`); the value is the
    /// 32-bit AS number it denotes.
    case asdot(UInt32)
    case mac(MACAddress)
    case duration(milliseconds: Int64)

    public var description: String {
        switch self {
        case .integer(let v): String(v)
        case .ipv4(let a): a.description
        case .ipv6(let a): a.description
        case .prefix4(let a, let l): "\(a)/\(l)"
        case .prefix6(let a, let l): "\(a)/\(l)"
        case .asdot(let v): "\(v >> 16).\(v & 0xFFFF)"
        case .mac(let m): m.description
        case .duration(let ms):
            if ms == 0 {
                "0s"
            } else if ms % 3_600_000 == 0 {
                "\(ms / 3_600_000)h"
            } else if ms % 60_000 == 0 {
                "\(ms / 60_000)m"
            } else if ms % 1000 == 0 {
                "\(ms / 1000)s"
            } else {
                "\(ms)ms"
            }
        }
    }

    /// What kind of literal this is, in words, for messages.
    public var kindName: String {
        switch self {
        case .integer: "integer"
        case .ipv4: "IPv4 address"
        case .ipv6: "IPv6 address"
        case .prefix4: "IPv4 prefix"
        case .prefix6: "IPv6 prefix"
        case .asdot: "asdot AS number"
        case .mac: "MAC address"
        case .duration: "duration"
        }
    }
}
