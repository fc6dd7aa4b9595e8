// Codes of the build stage and the backends (FAB7xxx). Never renumber.

extension DiagnosticCode {
    // MARK: FAB70xx — secrets, read when artifacts are built
    public static let secretUnset = DiagnosticCode("FAB7001", .error, "secret not available at build time", """
        A session uses a secret whose environment variable is not set, or whose \
        file cannot be read. Secrets are read when `fabricc build` runs, never \
        written in the intent: export the variable (or create the file) in the \
        environment that builds. `fabricc check` does not read secrets.
        """)
    public static let secretEmpty = DiagnosticCode("FAB7002", .error, "secret is empty", """
        The secret's variable or file holds nothing (a file's final line break \
        is not part of the secret). An empty BGP password would silently turn \
        authentication off.
        """)

    // MARK: FAB71xx — BIRD
    public static let birdVersion = DiagnosticCode("FAB7101", .error, "unsupported BIRD version", """
        `bird-version` names the BIRD release the generated configs must load \
        on, as `2`, `2.0`, `2.0.11` or `2.15`. Only BIRD 2 is supported: BIRD 1 \
        has another configuration language and BIRD 3 is not tested. The \
        default is `2.0`, the oldest BIRD 2.
        """)
    public static let birdFeature = DiagnosticCode("FAB7102", .error, "feature the target BIRD lacks", """
        The intent asks for something the BIRD release in `bird-version` does \
        not have: `bgp-roles on` emits `local role`, which BIRD has since \
        2.0.11. Raise `bird-version` if every speaker runs a newer BIRD, or \
        turn the feature off.
        """)
    public static let birdIPv6 = DiagnosticCode("FAB7103", .error, "BIRD cannot carry IPv6", """
        The BIRD backend speaks IPv4 unicast over IPv4 sessions: VM host routes, \
        pod blocks and peering addresses must be IPv4. An IPv6 VM address, pod \
        block or peering address on a BGP speaker would otherwise be silently \
        left out of the routing.
        """)
    public static let birdString = DiagnosticCode("FAB7104", .error, "value BIRD cannot quote", """
        BIRD strings have no escapes: a `"` ends the string and a line break is \
        an error. A secret holding either (or another control character) cannot \
        be written as a BIRD `password`; the value is never printed. Choose a \
        password without them.
        """)
    public static let birdMultihopDefault = DiagnosticCode("FAB7105", .error, "default route over a multihop session", """
        A device imports the default route over a `multihop` session: its next \
        hop is not on a shared segment, so BIRD would have to resolve it \
        through an IGP table the generated configs do not have, and the route \
        would stay unreachable (or reach the kernel as one). Peer directly, or \
        leave `import` at `none` and route by other means.
        """)

    // MARK: FAB72xx — Junos
    public static let junosName = DiagnosticCode("FAB7201", .error, "name a Junos configuration cannot carry", """
        The Junos backend names prefix-lists, policy-statements, terms and BGP \
        groups after the fabric and its pools (`s5-public`, `s5-reflectors-external`). \
        Junos names here hold letters, digits, `-` and `_`, start with a letter \
        or digit, and are at most 255 characters. Rename the fabric or the pool.
        """)
    public static let junosString = DiagnosticCode("FAB7202", .error, "text a Junos configuration cannot carry", """
        A `description` or a BGP password becomes a quoted Junos string. Quotes \
        and backslashes are escaped, but a line break or another control \
        character cannot be written in one, and a neighbor's description \
        (`reflector rr1: ` and the intent's text) holds at most 255 bytes. A \
        secret's value is never printed.
        """)
    public static let junosPodBlock = DiagnosticCode("FAB7203", .warning, "pod block the leaf rejects", """
        A node announces its pod blocks to the leaf switches it peers with, and \
        a Junos leaf imports from its nodes only the pod blocks that lie inside \
        a pool it `accept`s. This one lies in none, so the leaf rejects it and \
        the pods there are unreachable through that leaf. Add the pool to the \
        leaf's `accept` list, or move the block into one.
        """)

    // MARK: FAB73xx — ESXi
    public static let esxiName = DiagnosticCode("FAB7301", .error, "name an esxcli script cannot carry", """
        The ESXi script finds out whether an uplink or a port group is already \
        on a vSwitch by reading `esxcli network vswitch standard list`, where \
        they are listed separated by commas and trimmed. A name with a `,`, or \
        one that starts or ends with a space, cannot be told apart there. \
        (Characters a shell would need quoting for are FAB6004 already.)
        """)
    public static let esxiUplink = DiagnosticCode("FAB7302", .error, "uplinks esxcli would refuse", """
        A `failover` block names an uplink its vSwitch does not have or names \
        one twice; a vSwitch lists an uplink twice, or one that another vSwitch \
        of the host already has (a physical NIC serves one standard vSwitch); \
        or a port group ends up with standby uplinks and `load-balancing \
        ip-hash`, set on it or inherited from its vSwitch (IP-hash teaming uses \
        every uplink actively). ESXi refuses these when the script runs, after \
        the earlier steps have changed the host.
        """)
    public static let esxiMTU = DiagnosticCode("FAB7303", .error, "vSwitch MTU ESXi refuses", """
        A standard vSwitch's MTU is between 1280 and 9000 bytes on ESXi (the \
        vSphere client's bounds; 9000 is ESXi's largest jumbo frame). The \
        language takes any MTU from 68, for Linux interfaces; an ESXi vSwitch \
        outside this range would fail in the script's `set --mtu` step.
        """)

    // MARK: FAB74xx — Antrea
    public static let antreaGateway = DiagnosticCode("FAB7401", .error, "pool without the gateway an IPPool needs", """
        A pool that a namespace or a pod draws from becomes an Antrea `IPPool`, \
        and both IPPool API versions require the subnet's gateway (with the \
        prefix length, taken from the pool's `prefix`). Add `gateway` to the pool.
        """)
    public static let antreaBreaking = DiagnosticCode("FAB7402", .error, "change to an IPPool that Antrea refuses", """
        Compared with the previous build (`--previous DIR`), an existing IPPool \
        loses or alters a range, or changes its gateway or prefix length. \
        Antrea's webhook refuses such updates, since addresses may be allocated \
        from the old ranges; only new ranges may be added. Keep the old ranges, \
        or pass `--allow-breaking` (a warning then) and re-create the IPPool \
        once no pod uses it.
        """)
    public static let antreaPrevious = DiagnosticCode("FAB7403", .error, "previous IPPools unreadable", """
        `--previous DIR` names a directory whose `antrea/ippools.yaml` is not \
        YAML or holds an IPPool without a name, a spec, or a range fabricc can \
        read, so the new pools cannot be compared with it. Point `--previous` \
        at the output directory of the last build, as fabricc wrote it.
        """)

    // MARK: FAB75xx — OVS and ip-link scripts
    public static let ovsVLAN = DiagnosticCode("FAB7501", .error, "OVS port VLAN settings Open vSwitch would not use", """
        Open vSwitch reads a port's `tag`, `trunks` and `vlan_mode` together. \
        An `access`, `native-tagged`, `native-untagged` or `dot1q-tunnel` port \
        needs the `tag` it puts untagged or outer frames on; a port with both \
        `tag` and `trunks` but no `vlan-mode` is an access port to Open \
        vSwitch, which then ignores `trunks`; and a `dot1q-tunnel` port takes \
        no `trunks`. Say which VLANs the port carries with `vlan-mode`, `tag` \
        and `trunks` that agree.
        """)
    public static let ovsWiring = DiagnosticCode("FAB7502", .error, "interface wired twice", """
        A Linux interface has one master: it is a member of one Linux bridge \
        or a port of one OVS bridge, never both, never twice, and a bridge is \
        never a member or port of itself. A VM attaches to a bridge once. The \
        host script would otherwise move the interface from one bridge to the \
        other, or fail halfway with the host half changed.
        """)
    public static let ovsPlatform = DiagnosticCode("FAB7503", .error, "host wiring an ESXi host cannot carry", """
        `veth`, `linux-bridge`, `ovs-bridge` and a VM's `attach` describe a \
        Linux or KVM host, which gets an `ovs/<host>.sh` script. An ESXi host \
        has standard vSwitches and port groups instead (`vswitch`, a VM's \
        `portgroup`); nothing would be generated for these, so they are \
        refused rather than silently dropped.
        """)
    public static let ovsVM = DiagnosticCode("FAB7504", .error, "VM interface libvirt would refuse or confuse", """
        A VM that `attach`es to bridges gets interfaces through `virsh`. \
        libvirt refuses a multicast or all-zero MAC; two VMs of a host with \
        one MAC, or two VMs naming one libvirt `domain`, would make the \
        script skip the second as already attached; and a `domain` made of \
        digits or shaped like a UUID is looked up by virsh as a domain ID or \
        UUID first, which may be another VM. Give each VM its own unicast \
        MAC and its own domain name.
        """)
    public static let ovsMTU = DiagnosticCode("FAB7505", .warning, "bridge MTU above a member's", """
        A bridge's MTU is larger than the MTU of a veth end wired into it (a \
        veth without `mtu` has 1500). Frames the bridge accepts at its MTU are \
        dropped where they leave through the smaller member. Give the veth \
        the bridge's MTU, or lower the bridge's.
        """)
}

extension DiagnosticCatalogue {
    static let build: [DiagnosticCode] = [
        .secretUnset, .secretEmpty, .birdVersion, .birdFeature, .birdIPv6, .birdString, .birdMultihopDefault,
        .junosName, .junosString, .junosPodBlock,
        .esxiName, .esxiUplink, .esxiMTU,
        .antreaGateway, .antreaBreaking, .antreaPrevious,
        .ovsVLAN, .ovsWiring, .ovsPlatform, .ovsVM, .ovsMTU,
    ]
}
