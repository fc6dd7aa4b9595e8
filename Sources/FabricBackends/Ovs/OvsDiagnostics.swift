import FabricDiagnostics

// The OVS and ip-link scripts backend's codes (FAB75xx). Never renumber a published code.

extension DiagnosticCode {
    public static let ovsVLAN = DiagnosticCode(
        "FAB7501", .error, "OVS port VLAN settings Open vSwitch would not use",
        """
        Open vSwitch reads a port's `tag`, `trunks` and `vlan_mode` together. \
        An `access`, `native-tagged`, `native-untagged` or `dot1q-tunnel` port \
        needs the `tag` it puts untagged or outer frames on; a port with both \
        `tag` and `trunks` but no `vlan-mode` is an access port to Open \
        vSwitch, which then ignores `trunks`; and a `dot1q-tunnel` port takes \
        no `trunks`. Say which VLANs the port carries with `vlan-mode`, `tag` \
        and `trunks` that agree.
        """)
    public static let ovsWiring = DiagnosticCode(
        "FAB7502", .error, "interface wired twice",
        """
        A Linux interface has one master: it is a member of one Linux bridge \
        or a port of one OVS bridge, never both, never twice, and a bridge is \
        never a member or port of itself. A VM attaches to a bridge once. The \
        host script would otherwise move the interface from one bridge to the \
        other, or fail halfway with the host half changed.
        """)
    public static let ovsPlatform = DiagnosticCode(
        "FAB7503", .error, "host wiring an ESXi host cannot carry",
        """
        `veth`, `linux-bridge`, `ovs-bridge` and a VM's `attach` describe a \
        Linux or KVM host, which gets an `ovs/<host>.sh` script. An ESXi host \
        has standard vSwitches and port groups instead (`vswitch`, a VM's \
        `portgroup`); nothing would be generated for these, so they are \
        refused rather than silently dropped.
        """)
    public static let ovsVM = DiagnosticCode(
        "FAB7504", .error, "VM interface libvirt would refuse or confuse",
        """
        A VM that `attach`es to bridges gets interfaces through `virsh`. \
        libvirt refuses a multicast or all-zero MAC; two VMs of a host with \
        one MAC, or two VMs naming one libvirt `domain`, would make the \
        script skip the second as already attached; and a `domain` made of \
        digits or shaped like a UUID is looked up by virsh as a domain ID or \
        UUID first, which may be another VM. Give each VM its own unicast \
        MAC and its own domain name.
        """)
    public static let ovsMTU = DiagnosticCode(
        "FAB7505", .warning, "bridge MTU above a member's",
        """
        A bridge's MTU is larger than the MTU of a veth end wired into it (a \
        veth without `mtu` has 1500). Frames the bridge accepts at its MTU are \
        dropped where they leave through the smaller member. Give the veth \
        the bridge's MTU, or lower the bridge's.
        """)
    public static let ovsPathMTU = DiagnosticCode(
        "FAB7506", .warning, "link too small for the VLANs it carries",
        """
        A port that `carries` a cloud carries that cloud's VMs' frames: the \
        fabric's `mtu` (the overlay, 1500 unless set), plus four bytes through \
        a dot1q-tunnel port's second tag. The port (a veth end) and its \
        bridge's uplink must hold that, or the larger packets are dropped on \
        the way out. The uplink takes the bridge's `mtu`, else the host's; a \
        link nobody sets stays at 1500.
        """)
}

extension OvsBackend {
    public var diagnostics: DiagnosticGroup {
        DiagnosticGroup(
            range: "FAB75xx",
            stage: "OVS backend: port VLANs and wiring the host script cannot apply",
            codes: [.ovsVLAN, .ovsWiring, .ovsPlatform, .ovsVM, .ovsMTU, .ovsPathMTU])
    }
}
