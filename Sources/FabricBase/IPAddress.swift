/// An IPv4 or IPv6 address with the arithmetic the language allows.
public enum IPAddress: Hashable, Sendable, Comparable, CustomStringConvertible {
    case v4(IPv4Address)
    case v6(IPv6Address)

    public var bits: Int {
        switch self {
        case .v4: 32
        case .v6: 128
        }
    }

    public var isV4: Bool { bits == 32 }

    /// The address as a 128-bit number (IPv4 in the low 32 bits).
    public var number: UInt128 {
        switch self {
        case .v4(let a): UInt128(a.value)
        case .v6(let a): a.value
        }
    }

    public var max: UInt128 { bits == 32 ? UInt128(UInt32.max) : UInt128.max }

    /// The same family's address with the given number, if it fits.
    public func withNumber(_ n: UInt128) -> IPAddress? {
        switch self {
        case .v4: n <= UInt128(UInt32.max) ? .v4(IPv4Address(UInt32(n))) : nil
        case .v6: .v6(IPv6Address(n))
        }
    }

    /// `self + delta`, or nil when the result leaves the address family.
    public func adding(_ delta: Int64) -> IPAddress? {
        let n = number
        if delta >= 0 {
            let (sum, overflow) = n.addingReportingOverflow(UInt128(delta))
            return overflow ? nil : withNumber(sum)
        }
        let magnitude = UInt128(delta.magnitude)
        return magnitude > n ? nil : withNumber(n - magnitude)
    }

    public var description: String {
        switch self {
        case .v4(let a): a.description
        case .v6(let a): a.description
        }
    }

    public static func < (a: IPAddress, b: IPAddress) -> Bool {
        (a.bits, a.number) < (b.bits, b.number)
    }
}

/// A network: an address with all host bits zero and a length.
public struct IPPrefix: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let network: IPAddress
    public let length: Int

    public init(network: IPAddress, length: Int) {
        self.network = network
        self.length = length
    }

    /// Number of host bits.
    public var hostBits: Int { network.bits - length }
    public var first: UInt128 { network.number }
    /// The last address's number (inclusive).
    public var last: UInt128 {
        hostBits == 0 ? first : (hostBits >= 128 ? UInt128.max : first | ((UInt128(1) << UInt128(hostBits)) - 1))
    }
    /// Number of addresses, saturating at UInt128.max.
    public var size: UInt128 { hostBits >= 128 ? UInt128.max : UInt128(1) << UInt128(hostBits) }

    public func contains(_ a: IPAddress) -> Bool {
        a.bits == network.bits && a.number >= first && a.number <= last
    }

    public func contains(_ p: IPPrefix) -> Bool {
        p.network.bits == network.bits && p.first >= first && p.last <= last
    }

    /// The `n`-th next (or previous) prefix of the same length, if it exists.
    public func shifted(by n: Int64) -> IPPrefix? {
        guard hostBits < 128 else { return n == 0 ? self : nil }
        let step = UInt128(1) << UInt128(hostBits)
        let blocks = first >> UInt128(hostBits)
        let maxBlocks =
            network.bits - hostBits >= 128 ? UInt128.max : (UInt128(1) << UInt128(network.bits - hostBits)) - 1
        if n >= 0 {
            let (b, o) = blocks.addingReportingOverflow(UInt128(n))
            guard !o, b <= maxBlocks, let address = network.withNumber(b * step) else { return nil }
            return IPPrefix(network: address, length: length)
        }
        guard UInt128(n.magnitude) <= blocks, let address = network.withNumber((blocks - UInt128(n.magnitude)) * step)
        else { return nil }
        return IPPrefix(network: address, length: length)
    }

    public var description: String { "\(network)/\(length)" }

    public static func < (a: IPPrefix, b: IPPrefix) -> Bool {
        (a.network, a.length) < (b.network, b.length)
    }
}
