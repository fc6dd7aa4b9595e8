/// A BIRD 2 release the generated configs target (`bird-version "2.0.11"`),
/// and which of the features fabricc may emit it has.
struct BirdVersion: Comparable, CustomStringConvertible {
    let parts: [Int]

    static let baseline = BirdVersion(parts: [2, 0])

    /// Parses `2`, `2.0`, `2.0.11`, `2.15`; nil for anything else.
    init?(_ text: String) {
        let fields = text.split(separator: ".", omittingEmptySubsequences: false)
        guard (1...3).contains(fields.count) else { return nil }
        var parts: [Int] = []
        for f in fields {
            guard !f.isEmpty, f.count <= 4, f.allSatisfy({ ("0"..."9").contains($0) }), let n = Int(f) else {
                return nil
            }
            parts.append(n)
        }
        self.parts = parts
    }

    init(parts: [Int]) { self.parts = parts }

    /// Only BIRD 2 is targeted: 1.x has another config language, 3.x is not
    /// tested here.
    var isSupported: Bool { parts[0] == 2 }

    var description: String { parts.map(String.init).joined(separator: ".") }

    static func < (a: BirdVersion, b: BirdVersion) -> Bool {
        for k in 0..<max(a.parts.count, b.parts.count) {
            let x = k < a.parts.count ? a.parts[k] : 0
            let y = k < b.parts.count ? b.parts[k] : 0
            if x != y { return x < y }
        }
        return false
    }

    static func == (a: BirdVersion, b: BirdVersion) -> Bool { !(a < b) && !(b < a) }
}

/// Features fabricc emits only when the intent asks for them, with the
/// first release that has them (from BIRD's NEWS).
enum BirdFeature: CaseIterable {
    /// `local role` (RFC 9234), from the fabric's `bgp-roles on`.
    case bgpRoles

    var since: BirdVersion {
        switch self {
        case .bgpRoles: BirdVersion(parts: [2, 0, 11])
        }
    }

    var what: String {
        switch self {
        case .bgpRoles: "BGP roles (RFC 9234)"
        }
    }
}
