import FabricBase
import FabricSema

/// The fewest prefixes that together hold exactly the addresses of a range:
/// `203.0.113.10..203.0.113.250` is `.10/31, .12/30, .16/28, …, .248/31,
/// .250/32`. Prefix lists and prefix sets take prefixes, pools take ranges.
public enum AddressCover {
    public static func prefixes(of range: AddressRange) -> [IPPrefix] {
        let bits = range.first.bits
        var out: [IPPrefix] = []
        var start = range.first.number
        let end = range.last.number
        while true {
            // The largest block aligned at `start` that does not pass `end`.
            var hostBits = start == 0 ? bits : min(bits, start.trailingZeroBitCount)
            while hostBits > 0 {
                let last = start | ((UInt128(1) << UInt128(hostBits)) &- 1)
                if last <= end { break }
                hostBits -= 1
            }
            guard let network = range.first.withNumber(start) else { break }
            out.append(IPPrefix(network: network, length: bits - hostBits))
            let last = hostBits == 0 ? start : start | ((UInt128(1) << UInt128(hostBits)) &- 1)
            if last >= end { break }
            start = last + 1
        }
        return out
    }

    /// The addresses a pool hands out (``Pool/allocatable``), as the fewest
    /// prefixes that hold exactly them. Sorted, without duplicates.
    public static func prefixes(of pool: Pool) -> [IPPrefix] {
        Array(Set(pool.allocatable.flatMap { prefixes(of: $0) })).sorted()
    }

    /// How many addresses a pool hands out, saturating.
    public static func count(of pool: Pool) -> UInt128 {
        pool.allocatable.reduce(UInt128(0)) { $0 > UInt128.max - $1.count ? UInt128.max : $0 + $1.count }
    }
}
