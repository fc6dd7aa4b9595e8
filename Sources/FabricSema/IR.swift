import FabricBase
import FabricDiagnostics
import FabricSyntax

// The typed, resolved, validated model of a fabric that every backend reads.
// Value types only; references are by name and every name is known to exist.
// Per-device views (a host's VMs and sessions, a reflector's clients) are
// stored on the device so a backend never searches.
//
// Where things are written: every value the intent wrote is a
// ``Located`` (the value and its span, as HCL keeps a range on each decoded
// value), and every declaration has an ``Origin``. Nothing else records a
// position: no side tables keyed by name, no parallel arrays of spans.

/// Where a declaration comes from: its name's span and, for declarations a
/// loop generated, which iteration.
public struct Origin: Sendable, Hashable {
    public let span: Span
    public let loop: LoopTrace?
}

public enum Platform: String, Sendable, Hashable, Codable { case kvm, esxi, linux }
public enum RouterPlatform: String, Sendable, Hashable, Codable { case junos, generic }
public enum RouterRole: String, Sendable, Hashable, Codable { case border, leaf }
public enum PeeringType: String, Sendable, Hashable, Codable { case `internal`, external }
public enum Announce: String, Sendable, Hashable, Codable {
    case hostRoutes = "host-routes"
    case aggregate
}
public enum AntreaVersion: String, Sendable, Hashable, Codable { case v1alpha2, v1beta1 }
public enum PolicyAction: String, Sendable, Hashable, Codable { case accept, reject }
public enum LoadBalancing: String, Sendable, Hashable, Codable {
    case portID = "port-id"
    case mac
    case ipHash = "ip-hash"
    case explicit
}
/// Which routes a host takes from its BGP neighbours.
public enum RouteImport: String, Sendable, Hashable, Codable {
    case none
    case defaultRoute = "default"
}
/// Who speaks BGP on a node: fabricc's BIRD config, or calico-node (which
/// writes its own BIRD config from Calico's resources).
public enum NodeCNI: String, Sendable, Hashable, Codable { case none, calico }
public enum VLANMode: String, Sendable, Hashable, Codable {
    case access, trunk
    case nativeTagged = "native-tagged"
    case nativeUntagged = "native-untagged"
    case dot1qTunnel = "dot1q-tunnel"
}

/// A secret read when artifacts are built.
public struct Secret: Sendable, Hashable {
    public enum Source: Sendable, Hashable {
        case environment(String)
        case file(String)
    }
    public let name: String
    public let source: Source
    public let origin: Origin
}

/// Fabric-wide settings as written; the defaults are the computed
/// properties below them.
public struct FabricSettings: Sendable, Hashable {
    public var name: String = "fabric"
    /// Where the `fabric` block names the fabric; nil when it does not.
    public var origin: Origin?
    public var asn: Located<UInt32>?
    public var gateway: Located<IPAddress>?
    /// The overlay MTU as written; ``overlayMTU`` applies the default.
    public var mtu: Located<Int>?
    public var underlayMTU: Located<Int>?
    public var antreaVersion: AntreaVersion = .v1beta1
    public var importLimit: Int?
    public var holdTimeSeconds: Int?
    public var keepaliveSeconds: Int?
    public var gracefulRestart: Bool?
    /// The default secret of sessions, located at its whole attribute.
    public var password: Located<String>?
    /// GTSM on sessions whose both ends run fabricc-generated BIRD.
    public var ttlSecurity: Bool = false
    /// RFC 9234 roles on eBGP sessions, located at the attribute that sets
    /// them (nil: not written, off).
    public var bgpRoles: Located<Bool>?
    /// The BIRD release to target, as written, located at its attribute
    /// (`"2.0"` when absent).
    public var birdVersion: Located<String>?
    /// BFD on sessions whose ends leave it unset.
    public var bfd: Bool = false

    public var overlayMTU: Int { mtu?.value ?? 1500 }
    public var usesBGPRoles: Bool { bgpRoles?.value ?? false }
}

public struct VLAN: Sendable, Hashable {
    public let name: String
    public let id: Int
    public let origin: Origin
}

public struct Network: Sendable, Hashable {
    public let name: String
    public let prefix: Located<IPPrefix>
    public let gateway: Located<IPAddress>?
    public let vlan: Int?
    /// The host that owns the subnet (scenario S1), nil for a shared one.
    public let owner: String?
    public let origin: Origin
}

public struct AddressRange: Sendable, Hashable {
    public let first: IPAddress
    public let last: IPAddress
    /// Set when the intent wrote the range as a prefix (`range 10.0.0.0/25`),
    /// so targets with a CIDR form (Antrea's `cidr`) can keep it.
    public let cidr: IPPrefix?

    public init(first: IPAddress, last: IPAddress, cidr: IPPrefix? = nil) {
        self.cidr = cidr
        self.first = first
        self.last = last
    }
    /// Number of addresses, saturating (`::..ffff:…:ffff` has 2^128).
    public var count: UInt128 {
        let span = last.number - first.number
        return span == UInt128.max ? span : span + 1
    }
    public func contains(_ a: IPAddress) -> Bool {
        a.bits == first.bits && a.number >= first.number && a.number <= last.number
    }
}

public struct Pool: Sendable, Hashable {
    public let name: String
    public let prefix: Located<IPPrefix>
    public let ranges: [Located<AddressRange>]
    public let gateway: Located<IPAddress>?
    public let vlan: Int?
    public let announce: Announce?
    public let origin: Origin

    /// Where members may take addresses from: the ranges, or the prefix.
    public func allows(_ a: IPAddress) -> Bool {
        ranges.isEmpty ? prefix.value.contains(a) : ranges.contains { $0.value.contains(a) }
    }

    /// The addresses the checks let members have, which is all a filter may
    /// accept: the ranges inside the prefix (or the whole prefix), less the
    /// network and broadcast addresses (IPv4, shorter than /31) and the
    /// gateway. Sorted.
    public var allocatable: [AddressRange] {
        let p = prefix.value
        var out: [AddressRange]
        if ranges.isEmpty {
            guard let first = p.network.withNumber(p.first), let last = p.network.withNumber(p.last) else { return [] }
            out = [AddressRange(first: first, last: last)]
        } else {
            out = ranges.map(\.value).filter { p.contains($0.first) && p.contains($0.last) }
        }
        var excluded = gateway.map { [$0.value] } ?? []
        if p.network.isV4, p.length < 31 { excluded += [p.first, p.last].compactMap { p.network.withNumber($0) } }
        for x in excluded {
            out = out.flatMap { r -> [AddressRange] in
                guard r.contains(x) else { return [r] }
                var pieces: [AddressRange] = []
                if x.number > r.first.number, let below = x.withNumber(x.number - 1) {
                    pieces.append(AddressRange(first: r.first, last: below))
                }
                if x.number < r.last.number, let above = x.withNumber(x.number + 1) {
                    pieces.append(AddressRange(first: above, last: r.last))
                }
                return pieces
            }
        }
        return out.sorted { $0.first.number < $1.first.number }
    }
}

public struct Cloud: Sendable, Hashable {
    public let name: String
    public let vlans: Located<ClosedRange<Int>>?
    public let nestedIn: String?
    public let physnet: String?
    public let origin: Origin
}

public struct Cluster: Sendable, Hashable {
    public let name: String
    public let clusterID: Located<IPv4Address>?
    public let asn: Located<UInt32>?
    public let gateway: IPAddress?
    public let origin: Origin
}

public struct Router: Sendable, Hashable {
    public let name: String
    public let platform: RouterPlatform
    public let role: RouterRole
    public let asn: Located<UInt32>?
    public let address: Located<IPAddress>?
    /// Its `router-id`, else its IPv4 `address` (located there).
    public let routerID: Located<IPv4Address>?
    /// Whether `router-id` is written in the intent (a router's own
    /// configuration states it only then).
    public let routerIDIsDeclared: Bool
    public let peering: Located<PeeringType>?
    public let accept: [String]
    public let aggregates: [IPPrefix]
    public let prefixLimit: Int?
    public let multihop: Int?
    public let password: String?
    /// Free text from `description`, for generated descriptions and comments.
    public let description: Located<String>?
    public let origin: Origin
    /// Sessions this router has, as indexes into ``FabricIR/sessions``.
    public var sessions: [Int] = []
}

public struct Reflector: Sendable, Hashable {
    public let name: String
    public let address: Located<IPAddress>?
    /// Its own AS, else its cluster's, else the fabric's: located where it
    /// is set.
    public let asn: Located<UInt32>?
    /// Its `router-id`, else its IPv4 `address` (located there).
    public let routerID: Located<IPv4Address>?
    public let cluster: String?
    /// Its own `cluster-id`, else its cluster's, else its router ID;
    /// located at its own, else at the reflector (which inherits it).
    public let clusterID: Located<IPv4Address>?
    public let upstream: [String]
    public let peering: Located<PeeringType>?
    public let importLimit: Int?
    public let password: String?
    public let description: Located<String>?
    public let origin: Origin
    /// Hosts that peer with it, sorted.
    public var clients: [String] = []
    public var sessions: [Int] = []
}

public struct VM: Sendable, Hashable {
    public let name: String
    /// Declared, or allocated from its pool (then located at the VM).
    public internal(set) var ip: Located<IPAddress>?
    public let pool: String?
    public let network: String?
    /// Declared, or allocated (a locally administered MAC).
    public internal(set) var mac: MACAddress?
    public let domain: Located<String>?
    public let attach: [Located<String>]
    public let model: String?
    public let portgroup: Located<String>?
    /// Its interface on the host as written (``hostInterface`` applies the default).
    public let interface: Located<String>?
    /// The cloud whose VLANs its interface on an OVS bridge trunks.
    public let carries: Located<String>?
    public let origin: Origin
    /// Whether fabricc handed out ``ip`` and ``mac`` (recorded in the lock)
    /// rather than the intent declaring them.
    public internal(set) var ipAllocated = false
    public internal(set) var macAllocated = false

    /// The host's end of the VM's link in an IP fabric: the interface
    /// that carries the anycast gateway and the route to the VM (libvirt's
    /// `<target dev='…'/>`); the VM's name unless it says otherwise, as
    /// VMmanager names its vnet after the machine.
    public var hostInterface: Located<String> { interface ?? Located(name, origin.span) }
}

/// A VM its host routes in an IP fabric, and the gateway its interface
/// carries: what the routing needs, not a copy of the VM (a host may route
/// thousands).
public struct RoutedVM: Sendable {
    /// Its place in its host's ``Host/vms``.
    public let index: Int
    public let name: String
    public let hostInterface: Located<String>
    public let address: IPAddress
    public let gateway: IPAddress
}

extension Host {
    /// The VMs this host routes in an IP fabric (S5): on a KVM or Linux
    /// host with reflectors, each VM with an IPv4 address and no bridge,
    /// subnet or port group (an L2 VM is not routed), whose gateway (its
    /// pool's `gateway`, else the cluster's or the fabric's anycast
    /// gateway) is IPv4. Each gets the gateway on its interface and a /32.
    public func routedVMs(pools: PoolGateways) -> [RoutedVM] {
        guard platform != .esxi, !reflectors.isEmpty else { return [] }
        var out: [RoutedVM] = []
        var gateways = GatewayLookup(pools, fallback: gateway)
        for k in vms.indices {
            guard let ip = routableAddress(at: k), let gateway = gateways.of(vms[k].pool) else { continue }
            out.append(
                RoutedVM(
                    index: k, name: vms[k].name, hostInterface: vms[k].hostInterface, address: ip, gateway: gateway))
        }
        return out
    }

    /// Whether it routes any VM (without building the list).
    public func routesVMs(pools: PoolGateways) -> Bool {
        guard platform != .esxi, !reflectors.isEmpty else { return false }
        var gateways = GatewayLookup(pools, fallback: gateway)
        return vms.indices.contains { routableAddress(at: $0) != nil && gateways.of(vms[$0].pool) != nil }
    }

    /// Whether some IPv4 VM it would route has no gateway: BIRD announces
    /// such a VM only while something else routes it.
    public func hasUnroutedVMs(pools: PoolGateways) -> Bool {
        guard platform != .esxi, !reflectors.isEmpty else { return false }
        var gateways = GatewayLookup(pools, fallback: gateway)
        return vms.indices.contains { routableAddress(at: $0) != nil && gateways.of(vms[$0].pool) == nil }
    }

    /// `vms[k]`'s address if it is an IPv4 VM on no bridge, subnet or port
    /// group. By index, reading the fields in place: passing the VM would
    /// copy it, and this runs for every VM, several times.
    func routableAddress(at k: Int) -> IPAddress? {
        guard let ip = vms[k].ip?.value, ip.isV4, vms[k].attach.isEmpty, vms[k].network == nil,
            vms[k].portgroup == nil
        else { return nil }
        return ip
    }
}

/// A VM's gateway by its pool, remembering the last pool asked about: a
/// host's VMs mostly share one, and the lookup hashes the pool's name.
struct GatewayLookup {
    let pools: PoolGateways
    let fallback: IPAddress?
    private var last: (pool: String, gateway: IPAddress?)?

    init(_ pools: PoolGateways, fallback: IPAddress?) {
        self.pools = pools
        self.fallback = fallback
    }

    /// Its pool's gateway, else the fallback, if IPv4.
    mutating func of(_ pool: String?) -> IPAddress? {
        // Pools rarely have a gateway of their own: no lookup then.
        guard !pools.byPool.isEmpty, let pool else { return Self.v4(fallback) }
        if let last, last.pool == pool { return last.gateway }
        let g = Self.v4(pools.byPool[pool] ?? fallback)
        last = (pool, g)
        return g
    }

    static func v4(_ g: IPAddress?) -> IPAddress? { g?.isV4 == true ? g : nil }
}

/// The pools that have a `gateway` of their own, for a VM's gateway.
public struct PoolGateways: Sendable {
    public let byPool: [String: IPAddress]

    public init(_ pools: some Sequence<Pool>) {
        var out: [String: IPAddress] = [:]
        for p in pools { if let g = p.gateway?.value, out[p.name] == nil { out[p.name] = g } }
        byPool = out
    }
}

extension FabricIR {
    /// For ``Host/routedVMs(pools:)``.
    public var poolGateways: PoolGateways { PoolGateways(pools) }
}

public struct Failover: Sendable, Hashable {
    public let active: [Located<String>]
    public let standby: [Located<String>]
    public let loadBalancing: LoadBalancing?
}

public struct Security: Sendable, Hashable {
    public let promiscuous: PolicyAction?
    public let forgedTransmits: PolicyAction?
    public let macChanges: PolicyAction?
}

public struct PortGroup: Sendable, Hashable {
    public let name: String
    /// 0 untagged, 1–4094 tagged, 4095 trunk (`trunk;`); located at its
    /// `vlan` or `trunk`, or at the port group when it says neither.
    public let vlan: Located<Int>
    public let failover: Failover?
    public let security: Security?
    public let origin: Origin
}

public struct VSwitch: Sendable, Hashable {
    public let name: String
    public let mtu: Located<Int>?
    public let ports: Int?
    public let uplinks: [Located<String>]
    public let failover: Failover?
    public let security: Security?
    public let portGroups: [PortGroup]
    public let origin: Origin
}

public struct LinuxBridge: Sendable, Hashable {
    public let name: String
    public let mtu: Int?
    public let members: [Located<String>]
    public let origin: Origin
}

public struct OVSPort: Sendable, Hashable {
    public let name: String
    public let vlanMode: VLANMode?
    public let tag: Int?
    public let trunks: [ClosedRange<Int>]
    /// The cloud whose VLANs it carries, where the intent says so.
    public let carries: Located<String>?
    public let description: String?
    public let origin: Origin
}

public struct OVSBridge: Sendable, Hashable {
    public let name: String
    public let mtu: Int?
    public let uplink: Located<String>?
    public let ports: [OVSPort]
    public let description: String?
    public let origin: Origin
}

public struct VethPair: Sendable, Hashable {
    public let name: String
    public let peer: Located<String>
    public let mtu: Int?
    public let origin: Origin
}

public struct Host: Sendable, Hashable {
    public let name: String
    public let platform: Platform
    public let address: Located<IPAddress>?
    /// Its own AS, else its cluster's, else the fabric's: located where it
    /// is set.
    public let asn: Located<UInt32>?
    /// Its `router-id`, else its IPv4 `address` (located there).
    public let routerID: Located<IPv4Address>?
    public let cluster: String?
    /// Its reflectors: those it names, else every reflector of its cluster.
    public let reflectors: [String]
    /// Where `reflectors` is written (its keyword); nil when they come
    /// from the cluster.
    public let reflectorsKeyword: Span?
    /// Set when its `reflectors` or `cluster` reference failed (reported):
    /// its reflector count then says nothing.
    public let peeringIncomplete: Bool
    public let peers: [Located<String>]
    /// Pools its VMs may use: those it names, plus those its VMs name.
    public let pools: [String]
    public let podBlocks: [Located<IPPrefix>]
    /// What it takes from its reflectors or leaves; nothing unless the intent says.
    public let importRoutes: RouteImport
    public let cni: NodeCNI
    public let mtu: Int?
    public let password: String?
    public let gateway: IPAddress?
    public let networks: [Network]
    public internal(set) var vms: [VM]
    public let vswitches: [VSwitch]
    public let linuxBridges: [LinuxBridge]
    public let ovsBridges: [OVSBridge]
    public let veths: [VethPair]
    public let description: Located<String>?
    public let origin: Origin
    public var sessions: [Int] = []
}

public struct Namespace: Sendable, Hashable {
    public let name: String
    public let pools: [String]
    public let origin: Origin
}

public struct Pod: Sendable, Hashable {
    public let name: String
    public let namespace: String?
    public let pool: String?
    /// Declared, or the one address allocated from its pool.
    public internal(set) var ips: [Located<IPAddress>]
    public let origin: Origin
    public internal(set) var ipAllocated = false
}

/// One end of a BGP session.
public enum Device: Sendable, Hashable, Comparable {
    case host(String)
    case reflector(String)
    case router(String)

    public var name: String {
        switch self {
        case .host(let n), .reflector(let n), .router(let n): n
        }
    }

    public var kind: String {
        switch self {
        case .host: "host"
        case .reflector: "reflector"
        case .router: "router"
        }
    }

    public static func < (a: Device, b: Device) -> Bool { (a.kind, a.name) < (b.kind, b.name) }
}

/// A BGP session derived from the intent, with both ends resolved.
public struct BGPSession: Sendable, Hashable {
    public enum Role: String, Sendable, Hashable {
        /// A hypervisor and one of its reflectors; `a` is the host.
        case reflectorClient = "reflector-client"
        /// A reflector and a border router it feeds; `a` is the reflector.
        case upstream
        /// Two reflectors of one cluster.
        case reflectorMesh = "reflector-mesh"
        /// A Calico-style node and a leaf switch; `a` is the host.
        case leaf
    }

    public let role: Role
    public let a: Device
    public let aAddress: IPAddress
    public let aAS: UInt32
    public let b: Device
    public let bAddress: IPAddress
    public let bAS: UInt32
    public var type: PeeringType { aAS == bAS ? .internal : .external }
    /// A secret's name, when the session is authenticated.
    public let password: String?
    /// BFD runs on the session (at both ends).
    public var bfd: Bool = false
}

/// The whole fabric.
public struct FabricIR: Sendable {
    public var settings = FabricSettings()
    public var secrets: [Secret] = []
    public var vlans: [VLAN] = []
    public var networks: [Network] = []
    public var pools: [Pool] = []
    public var clouds: [Cloud] = []
    public var clusters: [Cluster] = []
    public var routers: [Router] = []
    public var reflectors: [Reflector] = []
    public var hosts: [Host] = []
    public var namespaces: [Namespace] = []
    public var pods: [Pod] = []
    public var sessions: [BGPSession] = []
}

// Synthesized JSON for `fabricc dump-ir` (must live in the declaring file);
// the special cases are in IR+Encodable.swift.
extension Secret: Encodable {}
extension VLAN: Encodable {}
extension Network: Encodable {}
extension Pool: Encodable {}
extension Cloud: Encodable {}
extension Cluster: Encodable {}
extension Router: Encodable {
    enum CodingKeys: String, CodingKey {
        case name, platform, role, asn, address, routerID, peering, accept, aggregates, prefixLimit, multihop, password,
            origin, sessions
    }
}
extension Reflector: Encodable {
    enum CodingKeys: String, CodingKey {
        case name, address, asn, routerID, cluster, clusterID, upstream, peering, importLimit, password, origin,
            clients, sessions
    }
}
extension Failover: Encodable {}
extension Security: Encodable {}
extension PortGroup: Encodable {}
extension VSwitch: Encodable {
    enum CodingKeys: String, CodingKey { case name, mtu, ports, uplinks, failover, security, portGroups, origin }
}
extension LinuxBridge: Encodable {
    enum CodingKeys: String, CodingKey { case name, mtu, members, origin }
}
extension OVSPort: Encodable {}
extension OVSBridge: Encodable {
    enum CodingKeys: String, CodingKey { case name, mtu, uplink, ports, description, origin }
}
extension VethPair: Encodable {
    enum CodingKeys: String, CodingKey { case name, peer, mtu, origin }
}
extension Host: Encodable {
    enum CodingKeys: String, CodingKey {
        case name, platform, address, asn, routerID, cluster, reflectors, peers, pools, podBlocks, importRoutes, cni,
            mtu, password, gateway
        case networks, vms, vswitches, linuxBridges, ovsBridges, veths, origin, sessions
    }
}
extension Namespace: Encodable {}
extension VM: Encodable {
    enum CodingKeys: String, CodingKey {
        case name, ip, ipOrigin, pool, network, mac, macOrigin, domain, attach, model, portgroup, interface, carries
        case origin
    }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(ip, forKey: .ip)
        if ip != nil { try c.encode(ipAllocated ? "allocated" : "declared", forKey: .ipOrigin) }
        try c.encodeIfPresent(pool, forKey: .pool)
        try c.encodeIfPresent(network, forKey: .network)
        try c.encodeIfPresent(mac, forKey: .mac)
        if mac != nil { try c.encode(macAllocated ? "allocated" : "declared", forKey: .macOrigin) }
        try c.encodeIfPresent(domain, forKey: .domain)
        try c.encode(attach, forKey: .attach)
        try c.encodeIfPresent(model, forKey: .model)
        try c.encodeIfPresent(portgroup, forKey: .portgroup)
        try c.encodeIfPresent(interface, forKey: .interface)
        try c.encodeIfPresent(carries, forKey: .carries)
        try c.encode(origin, forKey: .origin)
    }
}
extension Pod: Encodable {
    enum CodingKeys: String, CodingKey { case name, namespace, pool, ips, ipOrigin, origin }

    public func encode(to encoder: any Encoder) throws {
        var c = encoder.container(keyedBy: CodingKeys.self)
        try c.encode(name, forKey: .name)
        try c.encodeIfPresent(namespace, forKey: .namespace)
        try c.encodeIfPresent(pool, forKey: .pool)
        try c.encode(ips, forKey: .ips)
        if !ips.isEmpty { try c.encode(ipAllocated ? "allocated" : "declared", forKey: .ipOrigin) }
        try c.encode(origin, forKey: .origin)
    }
}
extension FabricIR: Encodable {}
