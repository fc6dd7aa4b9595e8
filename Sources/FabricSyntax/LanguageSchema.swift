/// The type a keyword's values must have; checked by the type checker.
public indirect enum ValueType: Sendable, Hashable, CustomStringConvertible {
    case integer
    case string
    /// A bare name or a string: an interface, an uplink, a peer.
    case name
    case address
    case prefix
    /// `start..end` of addresses.
    case addressRange
    /// A plain or asdot AS number.
    case asn
    /// A VLAN ID, or a reference to a `vlan` declaration.
    case vlan
    /// A VLAN ID or a range `lo..hi`.
    case vlanRange
    case mac
    case duration
    /// One of a fixed set of words.
    case keyword([String])
    /// The name of a declaration of the given block kind.
    case reference(String)

    public var description: String {
        switch self {
        case .integer: "integer"
        case .string: "string"
        case .name: "name"
        case .address: "address"
        case .prefix: "prefix"
        case .addressRange: "address range"
        case .asn: "AS number"
        case .vlan: "VLAN"
        case .vlanRange: "VLAN or VLAN range"
        case .mac: "MAC address"
        case .duration: "duration"
        case .keyword(let words): words.map { "`\($0)`" }.joined(separator: " | ")
        case .reference(let kind): "`\(kind)` name"
        }
    }
}

/// How many values an attribute takes.
public enum Arity: Sendable, Hashable {
    /// No value: `trunk;`.
    case flag
    /// Exactly one value.
    case one
    /// One or more, separated by commas.
    case list
}

/// One attribute keyword of a block.
public struct AttributeSpec: Sendable, Hashable {
    public let name: String
    public let type: ValueType
    public let arity: Arity
    /// May be written more than once in the same block.
    public let repeatable: Bool
    public let summary: String

    init(_ name: String, _ type: ValueType, _ summary: String) {
        self.init(name, type, .one, repeatable: false, summary)
    }

    init(_ name: String, _ type: ValueType, repeatable: Bool, _ summary: String) {
        self.init(name, type, .one, repeatable: repeatable, summary)
    }

    init(_ name: String, _ type: ValueType, _ arity: Arity, repeatable: Bool = false, _ summary: String) {
        self.name = name
        self.type = type
        self.arity = arity
        self.repeatable = repeatable
        self.summary = summary
    }
}

/// Whether a block takes a name label.
public enum Naming: Sendable, Hashable {
    case required
    case optional
    case none
}

/// One block keyword: where it may stand and what it holds.
public struct BlockSpec: Sendable, Hashable {
    public let keyword: String
    public let naming: Naming
    /// Enclosing block keywords; `nil` stands for the top level of a file.
    public let parents: [String?]
    /// At most once per enclosing block (or per fabric at the top level).
    public let singleton: Bool
    public let attributes: [AttributeSpec]
    public let summary: String

    public func attribute(_ name: String) -> AttributeSpec? { attributes.first { $0.name == name } }
}

/// The vocabulary of the fabric language: every block and attribute keyword.
///
/// The grammar (see `docs/language.md`) is uniform — `keyword [name] values
/// { … }` — and this table gives each keyword its meaning, so the parser
/// stays small and the structure checker, the type checker and the docs
/// read the same definition.
public enum LanguageSchema {
    static let description = AttributeSpec("description", .string, "free text carried into generated comments")
    static let mtu = AttributeSpec("mtu", .integer, "MTU in bytes")
    static let bfd = AttributeSpec("bfd", .keyword(["on", "off"]), "BFD liveness detection on its BGP sessions")

    public static let blocks: [BlockSpec] = [
        BlockSpec(
            keyword: "fabric", naming: .optional, parents: [nil], singleton: true,
            attributes: [
                AttributeSpec("asn", .asn, "default AS number of hosts and reflectors"),
                AttributeSpec("gateway", .address, "anycast gateway address every VM uses"),
                mtu,
                AttributeSpec("underlay-mtu", .integer, "MTU of the physical network under VXLAN"),
                AttributeSpec("antrea-version", .keyword(["v1alpha2", "v1beta1"]), "IPPool API version to emit"),
                AttributeSpec("import-limit", .integer, "default BGP import limit per session"),
                AttributeSpec("hold-time", .duration, "BGP hold time"),
                AttributeSpec("keepalive", .duration, "BGP keepalive interval"),
                AttributeSpec("graceful-restart", .keyword(["on", "off"]), "BGP graceful restart"),
                AttributeSpec("password", .reference("secret"), "default BGP session password"),
                AttributeSpec(
                    "ttl-security", .keyword(["on", "off"]), "GTSM (RFC 5082) on sessions between BIRD speakers"),
                AttributeSpec("bgp-roles", .keyword(["on", "off"]), "BGP roles (RFC 9234) on eBGP sessions"),
                bfd,
                AttributeSpec("bird-version", .string, "BIRD release the generated configs target"),
                description,
            ], summary: "fabric-wide defaults; every block may override them"),
        BlockSpec(
            keyword: "secret", naming: .required, parents: [nil], singleton: false,
            attributes: [
                AttributeSpec("env", .string, "environment variable holding the secret at build time"),
                AttributeSpec("file", .string, "file holding the secret at build time"),
                description,
            ], summary: "a secret read at build time, never written into the intent"),
        BlockSpec(
            keyword: "vlan", naming: .required, parents: [nil], singleton: false,
            attributes: [
                AttributeSpec("id", .vlan, "the 802.1Q VLAN ID"),
                description,
            ], summary: "a named VLAN"),
        BlockSpec(
            keyword: "network", naming: .required, parents: [nil, "host"], singleton: false,
            attributes: [
                AttributeSpec("prefix", .prefix, "the subnet"),
                AttributeSpec("gateway", .address, "the subnet's gateway"),
                AttributeSpec("vlan", .vlan, "the VLAN carrying the subnet"),
                description,
            ], summary: "a subnet; inside a `host`, a subnet that host owns"),
        BlockSpec(
            keyword: "pool", naming: .required, parents: [nil], singleton: false,
            attributes: [
                AttributeSpec("prefix", .prefix, "the subnet addresses are drawn from"),
                AttributeSpec("range", .addressRange, repeatable: true, "an allocatable range; several allowed"),
                AttributeSpec("gateway", .address, "the subnet's gateway"),
                AttributeSpec("vlan", .vlan, "the VLAN carrying the pool"),
                AttributeSpec("announce", .keyword(["host-routes", "aggregate"]), "how the pool is announced in BGP"),
                description,
            ], summary: "an address pool for VMs or pods"),
        BlockSpec(
            keyword: "openstack", naming: .required, parents: [nil], singleton: false,
            attributes: [
                AttributeSpec("vlan-range", .vlanRange, "tenant VLAN range of its Neutron"),
                AttributeSpec("nested-in", .reference("openstack"), "the outer cloud this one runs inside"),
                AttributeSpec("physnet", .string, "Neutron physical network name"),
                description,
            ], summary: "an OpenStack cloud and its tenant VLAN range"),
        BlockSpec(
            keyword: "cluster", naming: .required, parents: [nil], singleton: false,
            attributes: [
                AttributeSpec("cluster-id", .address, "route reflector cluster ID"),
                AttributeSpec("asn", .asn, "AS of the cluster's nodes and reflectors"),
                AttributeSpec("gateway", .address, "anycast gateway of the cluster's VMs"),
                description,
            ], summary: "a group of hosts served by the same route reflectors"),
        BlockSpec(
            keyword: "router", naming: .required, parents: [nil], singleton: false,
            attributes: [
                AttributeSpec("platform", .keyword(["junos", "generic"]), "what runs on the router"),
                AttributeSpec("role", .keyword(["border", "leaf"]), "border gateway or leaf switch"),
                AttributeSpec("asn", .asn, "its AS number"),
                AttributeSpec("address", .address, "its peering address"),
                AttributeSpec("router-id", .address, "its BGP router ID"),
                AttributeSpec("peering", .keyword(["internal", "external"]), "iBGP or eBGP towards the reflectors"),
                AttributeSpec("accept", .reference("pool"), .list, "pools whose host routes it accepts"),
                AttributeSpec("aggregate", .prefix, repeatable: true, "an aggregate it exports"),
                AttributeSpec("prefix-limit", .integer, "maximum prefixes accepted per session"),
                AttributeSpec("multihop", .integer, "TTL for sessions that are not directly connected"),
                AttributeSpec("password", .reference("secret"), "BGP session password"),
                bfd,
                description,
            ], summary: "a border router or a leaf switch"),
        BlockSpec(
            keyword: "reflector", naming: .required, parents: [nil], singleton: false,
            attributes: [
                AttributeSpec("address", .address, "its peering address"),
                AttributeSpec("asn", .asn, "its AS number"),
                AttributeSpec("router-id", .address, "its BGP router ID"),
                AttributeSpec("cluster", .reference("cluster"), "the cluster it serves"),
                AttributeSpec("cluster-id", .address, "route reflector cluster ID"),
                AttributeSpec("upstream", .reference("router"), .list, "border routers it feeds"),
                AttributeSpec("peering", .keyword(["internal", "external"]), "iBGP or eBGP towards upstream"),
                AttributeSpec("import-limit", .integer, "BGP import limit per client session"),
                AttributeSpec("password", .reference("secret"), "BGP session password"),
                bfd,
                description,
            ], summary: "a BGP route reflector (a Linux box running BIRD)"),
        BlockSpec(
            keyword: "host", naming: .required, parents: [nil], singleton: false,
            attributes: [
                AttributeSpec("platform", .keyword(["kvm", "esxi", "linux"]), "hypervisor or node kind"),
                AttributeSpec("address", .address, "its management / peering address"),
                AttributeSpec("asn", .asn, "its AS number"),
                AttributeSpec("router-id", .address, "its BGP router ID"),
                AttributeSpec("cluster", .reference("cluster"), "its cluster"),
                AttributeSpec("reflectors", .reference("reflector"), .list, "route reflectors it peers with"),
                AttributeSpec("peers", .reference("router"), .list, "leaf switches it peers with"),
                AttributeSpec("pools", .reference("pool"), .list, "pools its VMs may use"),
                AttributeSpec("pod-blocks", .prefix, .list, "pod address blocks it announces"),
                AttributeSpec(
                    "import", .keyword(["none", "default"]), "routes it takes from its reflectors or leaves"),
                AttributeSpec(
                    "cni", .keyword(["none", "calico"]), "who runs its BGP: fabricc's BIRD config (`none`) or Calico"),
                mtu,
                AttributeSpec("password", .reference("secret"), "BGP session password"),
                bfd,
                description,
            ], summary: "a hypervisor or node: KVM, ESXi or Linux"),
        BlockSpec(
            keyword: "vm", naming: .required, parents: ["host"], singleton: false,
            attributes: [
                AttributeSpec("ip", .address, "its address"),
                AttributeSpec("pool", .reference("pool"), "the pool its address comes from"),
                AttributeSpec("network", .reference("network"), "the subnet it sits on"),
                AttributeSpec("mac", .mac, "its MAC address"),
                AttributeSpec("domain", .string, "libvirt domain name"),
                AttributeSpec("attach", .name, .list, "bridges its NICs attach to"),
                AttributeSpec("model", .keyword(["virtio", "e1000"]), "NIC model"),
                AttributeSpec("portgroup", .name, "ESXi port group it connects to"),
                AttributeSpec(
                    "interface", .name,
                    "its interface on the host in an IP fabric (libvirt's target dev); default its name"),
                AttributeSpec(
                    "carries", .reference("openstack"),
                    "the cloud whose tenant VLANs its interface on an OVS bridge trunks (a nested compute node)"),
                description,
            ], summary: "a virtual machine on its host"),
        BlockSpec(
            keyword: "vswitch", naming: .required, parents: ["host"], singleton: false,
            attributes: [
                mtu,
                AttributeSpec("ports", .integer, "number of ports"),
                AttributeSpec("uplinks", .name, .list, "physical NICs (vmnic0, …)"),
                description,
            ], summary: "an ESXi standard vSwitch"),
        BlockSpec(
            keyword: "portgroup", naming: .required, parents: ["vswitch"], singleton: false,
            attributes: [
                AttributeSpec("vlan", .vlan, "VLAN ID: 0 untagged, 1–4094 tagged"),
                AttributeSpec("trunk", .string, .flag, "an 802.1Q trunk (VLAN 4095)"),
                description,
            ], summary: "an ESXi port group"),
        BlockSpec(
            keyword: "failover", naming: .none, parents: ["vswitch", "portgroup"], singleton: true,
            attributes: [
                AttributeSpec("active", .name, .list, "active uplinks"),
                AttributeSpec("standby", .name, .list, "standby uplinks"),
                AttributeSpec(
                    "load-balancing", .keyword(["port-id", "mac", "ip-hash", "explicit"]), "load balancing policy"),
            ], summary: "ESXi NIC teaming and failover policy"),
        BlockSpec(
            keyword: "security", naming: .none, parents: ["vswitch", "portgroup"], singleton: true,
            attributes: [
                AttributeSpec("promiscuous", .keyword(["accept", "reject"]), "promiscuous mode"),
                AttributeSpec("forged-transmits", .keyword(["accept", "reject"]), "forged transmits"),
                AttributeSpec("mac-changes", .keyword(["accept", "reject"]), "MAC address changes"),
            ], summary: "ESXi security policy"),
        BlockSpec(
            keyword: "linux-bridge", naming: .required, parents: ["host"], singleton: false,
            attributes: [
                mtu,
                AttributeSpec("members", .name, .list, "interfaces enslaved to the bridge"),
                description,
            ], summary: "a Linux bridge (`ip link add … type bridge`)"),
        BlockSpec(
            keyword: "ovs-bridge", naming: .required, parents: ["host"], singleton: false,
            attributes: [
                mtu,
                AttributeSpec("uplink", .name, "physical NIC added as a port"),
                description,
            ], summary: "an Open vSwitch bridge"),
        BlockSpec(
            keyword: "port", naming: .required, parents: ["ovs-bridge"], singleton: false,
            attributes: [
                AttributeSpec(
                    "vlan-mode", .keyword(["access", "trunk", "native-tagged", "native-untagged", "dot1q-tunnel"]),
                    "OVS vlan_mode"),
                AttributeSpec("tag", .vlan, "access or native VLAN"),
                AttributeSpec("trunks", .vlanRange, .list, "VLANs a trunk carries"),
                AttributeSpec(
                    "carries", .reference("openstack"),
                    "the cloud whose tenant VLANs it carries: trunks default to its range and stay inside it"),
                description,
            ], summary: "a port of an OVS bridge"),
        BlockSpec(
            keyword: "veth", naming: .required, parents: ["host"], singleton: false,
            attributes: [
                AttributeSpec("peer", .name, "name of the other end"),
                mtu,
                description,
            ], summary: "a veth pair; the block's name is one end"),
        BlockSpec(
            keyword: "namespace", naming: .required, parents: [nil], singleton: false,
            attributes: [
                AttributeSpec("pool", .reference("pool"), .list, "IPPool its pods draw from"),
                description,
            ], summary: "a Kubernetes namespace bound to a pool"),
        BlockSpec(
            keyword: "pod", naming: .required, parents: [nil], singleton: false,
            attributes: [
                AttributeSpec("namespace", .reference("namespace"), "its namespace"),
                AttributeSpec("pool", .reference("pool"), "the pool its address comes from"),
                AttributeSpec("ip", .address, .list, "fixed addresses"),
                description,
            ], summary: "a Kubernetes pod with a pinned pool or address"),
    ]

    private static let byKeyword: [String: BlockSpec] = Dictionary(
        uniqueKeysWithValues: blocks.map { ($0.keyword, $0) })

    public static func block(_ keyword: String) -> BlockSpec? { byKeyword[keyword] }

    /// Blocks allowed directly inside `parent` (`nil`: the top level).
    public static func blocks(in parent: String?) -> [BlockSpec] {
        blocks.filter { $0.parents.contains(parent) }
    }

    /// Words with a meaning of their own in the grammar.
    public static let reservedWords: [String] = ["for", "in", "include"]
}
