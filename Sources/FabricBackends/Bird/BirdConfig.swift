/// The view model of one `bird.conf`: every value already computed, quoted
/// and named, so `Templates/bird/config.mustache` only lays it out.
///
/// Optional members switch template sections on; strings are final text.
struct BirdConfig {
    /// Comment lines at the top (without `# `).
    let header: [String]
    /// The file beside the config that defines its BGP passwords.
    let secrets: BirdSecretsInclude?
    let routerID: String
    /// `protocol bfd`, when a session runs BFD.
    let bfd: BirdBFD?
    let prefixSets: [BirdPrefixSet]
    let staticRoutes: BirdStatic?
    /// A kernel protocol, only on a device that imports routes to forward by.
    let kernel: BirdKernel?
    /// `fab_from_client`, on a reflector with clients.
    let clientFunction: Bool
    let defaultRouteFilter: Bool
    let exportToReflectors: BirdSetFilter?
    let exportToLeaves: BirdSetFilter?
    let upstreamFilters: [BirdNamedSetFilter]
    let meshFilter: BirdMeshFilter?
    let sessions: [BirdSession]
}

/// `protocol bfd`: one interval for both directions, in milliseconds.
struct BirdBFD {
    /// What every BIRD speaker asks for: a failed neighbour is noticed in
    /// 300 ms, well under a second, with packets every 100 ms (a few hundred
    /// bytes a second per session).
    static let standard = BirdBFD(interval: 100, multiplier: 3)
    let interval: Int
    let multiplier: Int
    var detection: Int { interval * multiplier }
}

/// `define NAME = [ … ];`
struct BirdPrefixSet {
    let name: String
    let comment: String
    /// Entries with their separating comma, one per line.
    let entries: [String]
}

/// A filter that accepts the routes of one prefix set; `set` nil when the
/// device has nothing to send (the filter then rejects everything).
struct BirdSetFilter {
    let set: String?
}

struct BirdNamedSetFilter {
    let name: String
    let comment: String
    let set: String?
}

struct BirdMeshFilter {
    let set: String?
    let defaultRoute: Bool
    /// This reflector's cluster ID (its router ID without a cluster's).
    let clusterID: String?
}

struct BirdStatic {
    let name: String
    let comment: [String]
    let routes: [BirdStaticRoute]
}

struct BirdStaticRoute {
    let prefix: String
    let comment: String
}

struct BirdKernel {
    let comment: [String]
    /// The set of host routes it learns from the kernel (a hypervisor's
    /// routes to its VMs), or nil: it learns nothing.
    let learn: String?
    /// Installs the routes learned over BGP.
    let bgp: Bool
    /// The set of the pod blocks whose blackholes it installs.
    let blackholes: String?
    var exports: Bool { bgp || blackholes != nil }
}

/// One `protocol bgp`.
struct BirdSession {
    let name: String
    let comment: String
    let description: String
    let localAddress: String
    let localAS: String
    let neighborAddress: String
    let neighborAS: String
    /// `direct` or `multihop N`.
    let connection: String
    let ttlSecurity: Bool
    let bfd: Bool
    let rrClient: Bool
    let clusterID: String?
    let localRole: String?
    /// `on`, `off` or `aware`.
    let gracefulRestart: String
    let holdTime: String?
    let keepalive: String?
    /// Seconds between connection attempts, and the error wait (`min,max`).
    let connectRetry: String?
    let errorWait: String?
    /// The constant holding the password, defined in the secrets file.
    let password: String?
    let gatewayDirect: Bool
    let nextHop: String?
    let importLimit: String
    /// `none`, `filter NAME` or `filter { … }`.
    let importFilter: String
    let exportFilter: String
}

/// `include "<device>.secrets.conf";` and the constants it must define.
struct BirdSecretsInclude {
    /// Already a quoted BIRD string.
    let file: String
    /// By secret name.
    let constants: [(secret: String, symbol: String)]

    /// Comment lines above the include (without `# `).
    var comment: [String] {
        [
            "BGP passwords: this file defines "
                + constants.map { "\($0.symbol) (secret \(BirdText.comment($0.secret)))" }.joined(separator: ", ")
                + ".",
            "`fabricc build --secrets DIR` writes it as DIR/bird/" + file.dropFirst().dropLast()
                + "; install it beside",
            "this config, readable by BIRD only. It is never part of the committed output.",
        ]
    }
}

/// The view model of `<device>.secrets.conf`, for the secrets folder only.
struct BirdSecrets {
    let header: [String]
    let constants: [BirdSecretConstant]
}

/// `define NAME = "value";`
struct BirdSecretConstant {
    let name: String
    /// Already a quoted BIRD string.
    let value: String
    /// The secret's name in the intent, for a comment.
    let secret: String
}
