// Codes of the semantic checks (FAB3xxx to FAB6xxx). Never renumber.

extension DiagnosticCode {
    // MARK: FAB3xxx — names, types, evaluation
    public static let undefinedName = DiagnosticCode(
        "FAB3001", .error, "undefined name",
        """
        A reference names a declaration that does not exist, or an expression \
        uses a name that is not a loop variable. References are typed: \
        `reflectors rr1` must name a `reflector`. The closest existing name is \
        suggested. Declarations may come in any order and from any included file.
        """)
    public static let duplicateName = DiagnosticCode(
        "FAB3002", .error, "duplicate name",
        """
        Two declarations of the same kind have the same name, or a list names the \
        same thing twice; the label points at the first. Names of hosts, reflectors, routers, pools, networks, VLANs, \
        clusters, secrets, clouds, namespaces and pods are fabric-wide; VMs are \
        unique fabric-wide; switches, bridges, port groups and ports are unique \
        within their host. A loop that generates names needs `${i}` in them.
        """)
    public static let wrongKind = DiagnosticCode(
        "FAB3003", .error, "reference to the wrong kind",
        """
        The name exists but is a different kind of declaration than the keyword \
        expects: `reflectors kvm1` where `kvm1` is a host.
        """)
    public static let unused = DiagnosticCode(
        "FAB3004", .warning, "unused declaration",
        """
        A secret, VLAN or cluster is declared but nothing refers to it, so it \
        generates nothing; remove it or refer to it. (Pools, networks and \
        namespaces are never unused: they are generated or checked on their own.) \
        The warning waits until the intent has no errors, since a misspelt \
        reference is the likelier cause.
        """)
    public static let typeMismatch = DiagnosticCode(
        "FAB3005", .error, "wrong type of value",
        """
        The keyword expects another type of value: `prefix` takes a prefix such as \
        `10.0.0.0/24`, `gateway` an address, `vlan` a VLAN ID or a `vlan` name. The \
        message says what was expected and what was found.
        """)
    public static let arithmetic = DiagnosticCode(
        "FAB3006", .error, "invalid arithmetic",
        """
        An expression cannot be computed: an integer overflowed, a division by \
        zero, an address left its family's range, or an operator was applied to \
        values it does not take. Integers take `+ - * / %`; addresses and prefixes \
        take `+` and `-` with an integer.
        """)
    public static let loopRange = DiagnosticCode(
        "FAB3007", .error, "invalid loop",
        """
        A `for` loop runs over an integer range `FROM..TO` with FROM ≤ TO and uses \
        a variable name no enclosing loop uses. All loops together generate at \
        most two million declarations: expansion stops there, so a typo such as \
        `1..100000000` cannot exhaust memory.
        """)
    public static let unknownValue = DiagnosticCode(
        "FAB3008", .error, "unknown value",
        """
        The keyword takes one of a fixed set of words, such as `platform kvm`, \
        `esxi` or `linux`. The closest word is suggested.
        """)
    public static let missingAttribute = DiagnosticCode(
        "FAB3009", .error, "required attribute missing",
        """
        The declaration cannot be used without this attribute: a pool needs a \
        `prefix`, a reflector an `address`, a BGP speaker an AS number (its own, \
        its cluster's or the fabric's).
        """)

    // MARK: FAB301x — value ranges
    public static let vlanRange = DiagnosticCode(
        "FAB3010", .error, "VLAN ID out of range",
        """
        A VLAN ID is 1 to 4094. 0 means untagged and is accepted where a target \
        allows it (an ESXi port group, a `network`). 4095 is not a VLAN: on ESXi \
        it marks a trunk port group, written `trunk;`. A VLAN range `lo..hi` needs \
        lo ≤ hi.
        """)
    public static let asnRange = DiagnosticCode(
        "FAB3011", .error, "AS number out of range",
        """
        An AS number is 1 to 4294967295 (asdot `0.1` to `65535.65535`). 0 is \
        reserved and cannot be used.
        """)
    public static let reservedASN = DiagnosticCode(
        "FAB3012", .warning, "reserved AS number",
        """
        23456 (AS_TRANS), 65535 and 4294967295 are reserved (RFC 6793, RFC 7300) \
        and must not be used on a real session; 64496–64511 and 65536–65551 are \
        for documentation (RFC 5398).
        """)
    public static let numberRange = DiagnosticCode(
        "FAB3013", .error, "value out of range",
        """
        The number is outside what the keyword allows: an MTU is 68 to 65535 bytes, \
        a BGP multihop TTL 1 to 255, import and prefix limits at least 1, a vSwitch \
        1 to 4088 ports, a hold time 0 or 3 to 65535 seconds.
        """)

    // MARK: FAB4xxx — addressing and VLANs
    public static let overlap = DiagnosticCode(
        "FAB4001", .error, "overlapping subnets",
        """
        Two pools or networks share addresses, so an address could belong to \
        either. Adjacent prefixes (`10.0.0.0/25` and `10.0.0.128/25`) do not \
        overlap. A host's own network may lie inside a shared pool only if it is \
        carved out of it deliberately: declare one or the other.
        """)
    public static let gatewayOutside = DiagnosticCode(
        "FAB4002", .error, "gateway outside its subnet",
        """
        A gateway must be an address of the subnet it serves, and not the subnet's \
        network address (nor, on IPv4 prefixes shorter than /31, its broadcast \
        address).
        """)
    public static let gatewayInRange = DiagnosticCode(
        "FAB4003", .error, "gateway inside an allocatable range",
        """
        The gateway address lies inside a range addresses are handed out from, so \
        a VM or pod could be given the gateway's address. Move the gateway or \
        shrink the range.
        """)
    public static let rangeOutside = DiagnosticCode(
        "FAB4004", .error, "range outside its subnet",
        """
        An allocatable range must lie inside the pool's prefix: Antrea's webhook \
        rejects it, and the addresses would not be reachable.
        """)
    public static let rangeReversed = DiagnosticCode(
        "FAB4005", .error, "range runs backwards",
        """
        A range `start..end` needs start ≤ end, in the same address family.
        """)
    public static let duplicateAddress = DiagnosticCode(
        "FAB4006", .error, "duplicate address",
        """
        The same address is given to two things (hosts, reflectors, routers, VMs, \
        pods, gateways). Every address in the fabric belongs to one device; the \
        label points at the other one. The anycast gateway of the fabric is \
        exempt: it is the same on every hypervisor by design.
        """)
    public static let poolExhausted = DiagnosticCode(
        "FAB4007", .error, "pool exhausted",
        """
        A VM or pod names a pool but no address, and fabricc has none left to \
        give it: every allocatable address of the pool (its ranges, or its \
        prefix less network, broadcast and gateway) is declared, allocated to \
        another member, or in quarantine. Addresses in quarantine belonged to \
        removed VMs; `fabricc lock release` frees them once nothing can still \
        send traffic there. Widen the pool, or move members to another one.
        """)
    public static let addressOutsidePool = DiagnosticCode(
        "FAB4008", .error, "address outside its pool",
        """
        A VM's or pod's fixed address is not inside the pool it names (its ranges \
        if it has any, otherwise its prefix), or not inside the network it names.
        """)
    public static let foreignSubnet = DiagnosticCode(
        "FAB4009", .error, "address from another host's subnet",
        """
        The VM's address lies in a subnet that belongs to another host. When a \
        provider routes each server its own subnet (scenario S1), such a VM cannot \
        be reached. Take the address from the VM's own host's network, or move the \
        VM to a shared L2 VLAN.
        """)
    public static let nestedVLANOverlap = DiagnosticCode(
        "FAB4010", .error, "nested VLAN ranges overlap",
        """
        An OpenStack cloud running inside another one (`nested-in`) must use \
        tenant VLANs the outer cloud does not: the outer Neutron would claim the \
        inner cloud's tagged frames (scenario S4).
        """)
    public static let familyMismatch = DiagnosticCode(
        "FAB4011", .error, "address family mismatch",
        """
        The values must be of one address family: an IPv4 pool's gateway, ranges \
        and members are IPv4 addresses, an IPv6 pool's IPv6.
        """)
    public static let overlappingRanges = DiagnosticCode(
        "FAB4012", .error, "overlapping ranges",
        """
        Two allocatable ranges of one pool share addresses; Antrea's webhook \
        rejects such a pool.
        """)
    public static let namespacePools = DiagnosticCode(
        "FAB4013", .error, "namespace bound to several pools",
        """
        Antrea binds a namespace to one IPPool per address family through \
        `ipam.antrea.io/ippools`; two pools of the same family are ambiguous.
        """)
    public static let podAddresses = DiagnosticCode(
        "FAB4014", .error, "too many pod addresses",
        """
        `ipam.antrea.io/pod-ips` takes at most one IPv4 and one IPv6 address per pod.
        """)
    public static let nestingCycle = DiagnosticCode(
        "FAB4016", .error, "clouds nested in each other",
        """
        A chain of `nested-in` leads back to where it started: a cloud cannot run \
        inside itself, directly or through others.
        """)
    public static let unannounced = DiagnosticCode(
        "FAB4017", .warning, "routed VM in no pool",
        """
        A VM on a host that announces routes to reflectors has an address in no \
        pool, so its /32 is filtered everywhere: the reflectors and the border \
        router accept only addresses of the pools a host may use. Declare the pool \
        its address comes from.
        """)
    public static let lockLine = DiagnosticCode(
        "FAB4018", .error, "unreadable lock line",
        """
        A line of the allocation lock (`intent.fab.lock`) is not one fabricc \
        writes: `vm NAME ip ADDRESS pool POOL`, `vm NAME mac MAC`, `pod NAME ip \
        ADDRESS pool POOL`, or `quarantine ip|mac … was vm|pod NAME`. Most often \
        it is an unresolved merge conflict: keep the lines of both sides (fabricc \
        reports any address they both claim) and build again. Nothing is \
        allocated until the lock reads cleanly, so no allocation can move.
        """)
    public static let allocationConflict = DiagnosticCode(
        "FAB4019", .error, "allocation conflict",
        """
        The allocation lock gives an address or MAC that is no longer the \
        owner's to keep: another lock line gives it to someone else (two \
        branches allocated the same free address and git merged both lines), \
        the intent now declares it elsewhere, or it is no longer in the pool. \
        fabricc never moves an allocation by itself; `fabricc lock reallocate \
        ENTRY NAME` drops the named owner's lines, and the next build gives it \
        a fresh address and MAC.
        """)
    public static let prefixTooLong = DiagnosticCode(
        "FAB4015", .error, "prefix too long for a pool",
        """
        An IPv4 pool with prefix length 32 (or IPv6 128) has no room for a gateway \
        and addresses; Antrea rejects IPv4 prefix lengths of 32 or more.
        """)

    // MARK: FAB5xxx — BGP
    public static let ibgpASMismatch = DiagnosticCode(
        "FAB5001", .error, "reflector client in another AS",
        """
        A node and its route reflector speak iBGP, so they must be in the same AS: \
        route reflection (RFC 4456) only exists inside one AS.
        """)
    public static let peeringMismatch = DiagnosticCode(
        "FAB5002", .error, "peering type contradicts the AS numbers",
        """
        `peering internal` needs both ends in the same AS and `peering external` \
        different ones. Without `peering`, the type follows from the AS numbers.
        """)
    public static let noReflector = DiagnosticCode(
        "FAB5003", .error, "host reaches no route reflector",
        """
        A KVM host that runs VMs with addresses must announce them to at least one \
        route reflector: give it `reflectors …` or a `cluster` that has reflectors.
        """)
    public static let singleReflector = DiagnosticCode(
        "FAB5004", .warning, "host reaches only one route reflector",
        """
        With a single reflector, losing it withdraws every VM route of the host. \
        Two reflectors per cluster are the usual minimum.
        """)
    public static let clusterIDMismatch = DiagnosticCode(
        "FAB5005", .error, "reflectors of one cluster disagree on the cluster ID",
        """
        Route reflectors serving the same clients must share one cluster ID so they \
        recognise each other's reflected routes (RFC 4456). The cluster ID is an \
        IPv4 address.
        """)
    public static let duplicateRouterID = DiagnosticCode(
        "FAB5006", .error, "duplicate router ID",
        """
        Two BGP speakers have the same router ID (their own `router-id`, or their \
        IPv4 `address` when none is set). BGP refuses sessions between speakers \
        with the same ID, and route reflection relies on unique IDs.
        """)
    public static let sessionEndMissing = DiagnosticCode(
        "FAB5007", .error, "BGP session without an address",
        """
        A BGP session needs an address at both ends: the host, reflector or router \
        on each side must have an `address` of the same family.
        """)
    public static let leafSameAS = DiagnosticCode(
        "FAB5008", .error, "node and leaf in the same AS",
        """
        In scenario S2 nodes peer with their leaf switches over eBGP: the nodes \
        share one AS and the leaves another. A node in its leaf's AS would need \
        iBGP and a full mesh.
        """)
    public static let noASN = DiagnosticCode(
        "FAB5009", .error, "BGP speaker without an AS number",
        """
        A host, reflector or router that has BGP sessions needs an AS number: its \
        own `asn`, its cluster's, or the fabric's default.
        """)
    public static let peerNotLeaf = DiagnosticCode(
        "FAB5010", .error, "host peers with a router that is not a leaf",
        """
        `peers` lists the leaf switches a node peers with (scenario S2); border \
        routers are reached through the route reflectors.
        """)

    public static let foreignReflector = DiagnosticCode(
        "FAB5011", .error, "reflector of another cluster",
        """
        A host in a cluster peers with the reflectors of its cluster. Naming a \
        reflector of another cluster would make it a client of two clusters whose \
        reflectors do not know each other.
        """)
    public static let noBGPSpeaker = DiagnosticCode(
        "FAB5012", .error, "BGP on a host that runs no BGP speaker",
        """
        ESXi hosts run no BIRD: `reflectors` and `peers` only make sense on KVM and \
        Linux hosts.
        """)
    public static let noRouterID = DiagnosticCode(
        "FAB5013", .error, "BGP speaker without a router ID",
        """
        Every BGP speaker needs a 32-bit router ID. It defaults to the device's \
        IPv4 address; a device with only an IPv6 address needs `router-id`.
        """)
    public static let bfdDisagrees = DiagnosticCode(
        "FAB5014", .error, "BFD on at one end of a session, off at the other",
        """
        BFD runs between both ends of a BGP session or not at all: an end that \
        runs it would wait for packets the other never sends. A session takes \
        `bfd` from either end, or the fabric's; when both ends set it, they must \
        agree.
        """)

    // MARK: FAB6xxx — what targets cannot carry
    public static let interfaceName = DiagnosticCode(
        "FAB6001", .error, "invalid Linux interface name",
        """
        Linux interface names (bridges, veth ends, OVS ports and bridges) are at \
        most 15 bytes and cannot hold `/`, `:`, white space or control characters, \
        nor be `.` or `..`. fabricc also refuses a name that starts with `-`, \
        which `ovs-vsctl` and other tools would read as an option.
        """)
    public static let kubernetesName = DiagnosticCode(
        "FAB6002", .error, "invalid Kubernetes name",
        """
        Namespaces, pods and IPPools are Kubernetes objects: their names must be \
        DNS-1123 labels (namespaces) or subdomains (others): lower-case letters, \
        digits and `-` (and `.` in subdomains), starting and ending with a letter \
        or digit, at most 63 (labels) or 253 characters.
        """)
    public static let birdSymbol = DiagnosticCode(
        "FAB6003", .error, "device name a target cannot carry",
        """
        Hosts, reflectors and routers name generated files (`bird/kvm1.conf`), \
        BIRD protocols and filters. fabricc derives BIRD symbols from them \
        (letters, digits and `_`, at most 64 characters, never a BIRD keyword), \
        which needs names made of letters, digits, `-`, `_` and `.`, at most 48 \
        characters, not starting with `.` or `-`.
        """)
    public static let shellUnsafe = DiagnosticCode(
        "FAB6004", .error, "character a generated script cannot carry",
        """
        Names and values that end up in generated shell scripts (port groups, \
        vSwitches, uplinks, libvirt domains, bridges, ports, veths) may hold \
        letters, digits, space and \
        `-`, `_`, `.`, `+`, `@`, `=`, `,` only. Quote characters, `$`, backticks, \
        `;`, `|`, `&`, redirections and globs would need a shell to interpret \
        them, and are refused rather than risk a command injection.
        """)
    public static let controlInString = DiagnosticCode(
        "FAB6005", .error, "control character in a value",
        """
        A string written with escapes (`\\n`, `\\t`, `\\u{…}`) holds a newline or \
        another control character. No target can carry one in a name or a \
        description without breaking its syntax.
        """)
    public static let vxlanMTU = DiagnosticCode(
        "FAB6006", .error, "underlay MTU too small for VXLAN",
        """
        VXLAN over IPv4 adds 50 bytes to every frame (scenario S2). The underlay \
        MTU must be at least the overlay MTU plus 50, or large packets are dropped.
        """)
}

extension DiagnosticCatalogue {
    static let semantic: [DiagnosticCode] = [
        .undefinedName, .duplicateName, .wrongKind, .unused, .typeMismatch, .arithmetic, .loopRange,
        .unknownValue, .missingAttribute, .vlanRange, .asnRange, .reservedASN, .numberRange,
        .overlap, .gatewayOutside, .gatewayInRange, .rangeOutside, .rangeReversed, .duplicateAddress,
        .poolExhausted, .addressOutsidePool, .foreignSubnet, .nestedVLANOverlap, .familyMismatch,
        .overlappingRanges, .namespacePools, .podAddresses, .prefixTooLong, .nestingCycle, .unannounced,
        .lockLine, .allocationConflict,
        .ibgpASMismatch, .peeringMismatch, .noReflector, .singleReflector, .clusterIDMismatch,
        .duplicateRouterID, .sessionEndMissing, .leafSameAS, .noASN, .peerNotLeaf, .foreignReflector,
        .noBGPSpeaker, .noRouterID, .bfdDisagrees,
        .interfaceName, .kubernetesName, .birdSymbol, .shellUnsafe, .controlInString, .vxlanMTU,
    ]
}
