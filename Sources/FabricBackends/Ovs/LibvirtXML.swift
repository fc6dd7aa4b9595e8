/// The libvirt `<interface>` element the OVS script hands to `virsh
/// attach-device` for a VM on an Open vSwitch bridge: `attach-interface`
/// cannot add the `<virtualport type="openvswitch"/>` such an interface needs.
enum LibvirtXML {
    /// An XML attribute value, between double quotes. By Unicode scalar,
    /// not Character: a combining mark after `"` or `<` would otherwise
    /// hide it from the comparison.
    static func attribute(_ value: String) -> String {
        var out = "\""
        for scalar in value.unicodeScalars {
            switch scalar {
            case "&": out += "&amp;"
            case "<": out += "&lt;"
            case ">": out += "&gt;"
            case "\"": out += "&quot;"
            case "'": out += "&apos;"
            default: out.unicodeScalars.append(scalar)
            }
        }
        return out + "\""
    }

    /// One line: `<interface type="bridge">…</interface>`.
    /// The `<vlan>` element says what the port carries: libvirt sets the OVS
    /// port's `tag` (access) or `trunks` from it. Without one, Open vSwitch
    /// would trunk every VLAN to the VM.
    static func ovsInterface(bridge: String, model: String, mac: String?, vlan: OvsVLANs.VMVLAN?) -> String {
        var xml = "<interface type=\"bridge\"><source bridge=\(attribute(bridge))/><virtualport type=\"openvswitch\"/>"
        xml += "<model type=\(attribute(model))/>"
        if let mac { xml += "<mac address=\(attribute(mac))/>" }
        switch vlan {
        case .access(let id)?: xml += "<vlan><tag id=\"\(id)\"/></vlan>"
        case .trunk(let ranges)?:
            xml +=
                "<vlan trunk=\"yes\">" + ranges.flatMap { Array($0) }.map { "<tag id=\"\($0)\"/>" }.joined() + "</vlan>"
        case nil: break
        }
        return xml + "</interface>"
    }
}
