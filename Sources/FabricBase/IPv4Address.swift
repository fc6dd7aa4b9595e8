/// An IPv4 address as a 32-bit number, printed in dotted quad.
public struct IPv4Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    public let value: UInt32
    public init(_ value: UInt32) { self.value = value }

    /// Written byte by byte: a build prints hundreds of thousands of
    /// addresses, and interpolation cost a string per octet.
    public var description: String {
        String(unsafeUninitializedCapacity: 15) { buffer in
            var n = 0
            func put(_ octet: UInt8) {
                if octet >= 100 {
                    buffer[n] = 0x30 + octet / 100
                    n += 1
                }
                if octet >= 10 {
                    buffer[n] = 0x30 + octet / 10 % 10
                    n += 1
                }
                buffer[n] = 0x30 + octet % 10
                n += 1
            }
            put(UInt8(truncatingIfNeeded: value >> 24))
            for shift: UInt32 in stride(from: 16, through: 0, by: -8) {
                buffer[n] = UInt8(ascii: ".")
                n += 1
                put(UInt8(truncatingIfNeeded: value >> shift))
            }
            return n
        }
    }

    public static func < (a: IPv4Address, b: IPv4Address) -> Bool { a.value < b.value }
}

/// An IPv6 address as a 128-bit number, printed as RFC 5952 recommends.
public struct IPv6Address: Hashable, Sendable, Comparable, CustomStringConvertible {
    // Two halves, not a UInt128: 8-byte alignment instead of 16 makes every
    // address, prefix, literal and token holding one a third smaller.
    private let high: UInt64
    private let low: UInt64
    public var value: UInt128 { UInt128(high) << 64 | UInt128(low) }
    public init(_ value: UInt128) {
        high = UInt64(truncatingIfNeeded: value >> 64)
        low = UInt64(truncatingIfNeeded: value)
    }

    public var groups: [UInt16] { (0..<8).map { UInt16(truncatingIfNeeded: value >> (112 - 16 * $0)) } }

    public var description: String {
        if value >> 32 == 0xFFFF {
            return "::ffff:" + IPv4Address(UInt32(truncatingIfNeeded: value)).description
        }
        let g = groups
        // Longest run (length >= 2) of zero groups, first one on ties.
        var bestStart = -1
        var bestLen = 0
        var i = 0
        while i < 8 {
            if g[i] == 0 {
                var j = i
                while j < 8, g[j] == 0 { j += 1 }
                if j - i > bestLen, j - i >= 2 {
                    bestStart = i
                    bestLen = j - i
                }
                i = j
            } else {
                i += 1
            }
        }
        func hex(_ r: Range<Int>) -> String { r.map { String(g[$0], radix: 16) }.joined(separator: ":") }
        if bestStart < 0 { return hex(0..<8) }
        return hex(0..<bestStart) + "::" + hex((bestStart + bestLen)..<8)
    }

    public static func < (a: IPv6Address, b: IPv6Address) -> Bool { a.value < b.value }
}

/// A 48-bit MAC address, printed as lower-case colon-separated pairs.
public struct MACAddress: Hashable, Sendable, CustomStringConvertible {
    public let value: UInt64
    public init(_ value: UInt64) { self.value = value & 0xFFFF_FFFF_FFFF }

    public var description: String {
        String(unsafeUninitializedCapacity: 17) { buffer in
            let digits: StaticString = "0123456789abcdef"
            for i in 0..<6 {
                let byte = Int(truncatingIfNeeded: value >> (40 - 8 * UInt64(i))) & 0xFF
                if i > 0 { buffer[3 * i - 1] = UInt8(ascii: ":") }
                buffer[3 * i] = digits.utf8Start[byte >> 4]
                buffer[3 * i + 1] = digits.utf8Start[byte & 0xF]
            }
            return 17
        }
    }
}
