import FabricSema

/// One `IPPool`, in the terms both API versions share.
struct AntreaPool: Sendable, Hashable {
    let name: String
    let isV4: Bool
    let ranges: [AntreaRange]
    let gateway: String
    let prefixLength: Int
    /// nil: untagged (Antrea's default, VLAN 0).
    let vlan: Int?
}

/// An allocatable range: `cidr`, or `start` and `end`.
enum AntreaRange: Sendable, Hashable, CustomStringConvertible {
    case cidr(String)
    case startEnd(String, String)

    var description: String {
        switch self {
        case .cidr(let c): c
        case .startEnd(let a, let b): "\(a)-\(b)"
        }
    }
}

/// A Namespace and the pools its pods draw from (`ipam.antrea.io/ippools`).
struct AntreaNamespace: Sendable, Hashable {
    let name: String
    let pools: [String]
}

/// The IPAM annotations of one pod the intent pins.
struct AntreaPod: Sendable, Hashable {
    let name: String
    let namespace: String
    /// Set when its namespace does not already bind the pool.
    let pool: String?
    let ips: [String]
}

/// Everything the Antrea backend writes.
struct AntreaModel: Sendable {
    let version: AntreaVersion
    let pools: [AntreaPool]
    let namespaces: [AntreaNamespace]
    let pods: [AntreaPod]
}
