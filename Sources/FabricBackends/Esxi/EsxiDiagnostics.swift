import FabricDiagnostics

// The ESXi backend's codes (FAB73xx). Never renumber a published code.

extension DiagnosticCode {
    public static let esxiName = DiagnosticCode(
        "FAB7301", .error, "name an esxcli script cannot carry",
        """
        The ESXi script finds out whether an uplink or a port group is already \
        on a vSwitch by reading `esxcli network vswitch standard list`, where \
        they are listed separated by commas and trimmed. A name with a `,`, or \
        one that starts or ends with a space, cannot be told apart there. \
        (Characters a shell would need quoting for are FAB6004 already.)
        """)
    public static let esxiUplink = DiagnosticCode(
        "FAB7302", .error, "uplinks esxcli would refuse",
        """
        A `failover` block names an uplink its vSwitch does not have or names \
        one twice; a vSwitch lists an uplink twice, or one that another vSwitch \
        of the host already has (a physical NIC serves one standard vSwitch); \
        or a port group ends up with standby uplinks and `load-balancing \
        ip-hash`, set on it or inherited from its vSwitch (IP-hash teaming uses \
        every uplink actively). ESXi refuses these when the script runs, after \
        the earlier steps have changed the host.
        """)
    public static let esxiMTU = DiagnosticCode(
        "FAB7303", .error, "vSwitch MTU ESXi refuses",
        """
        A standard vSwitch's MTU is between 1280 and 9000 bytes on ESXi (the \
        vSphere client's bounds; 9000 is ESXi's largest jumbo frame). The \
        language takes any MTU from 68, for Linux interfaces; an ESXi vSwitch \
        outside this range would fail in the script's `set --mtu` step.
        """)
    public static let esxiVLAN = DiagnosticCode(
        "FAB7304", .error, "VM on a port group of another VLAN",
        """
        A VM's subnet (its `network`, else its `pool`) lives on one VLAN, and \
        its port group tags the VM's frames with the port group's VLAN. A VM \
        on a network of VLAN 3105 attached to a port group of VLAN 20 sends \
        its traffic into VLAN 20, where its subnet is not. Attach it to a port \
        group of its subnet's VLAN, or to a trunk port group (VLAN 4095, \
        `trunk`) when the guest tags its frames itself.
        """)
}

extension EsxiBackend {
    public var diagnostics: DiagnosticGroup {
        DiagnosticGroup(
            range: "FAB73xx",
            stage: "ESXi backend: names, failover orders and VLANs an esxcli script cannot carry",
            codes: [.esxiName, .esxiUplink, .esxiMTU, .esxiVLAN])
    }
}
