import FabricDiagnostics
import FabricSema

/// The MTU of each link the script wires, and whether the links that carry
/// a cloud's VLANs hold what the cloud's VMs send.
///
/// A host's `mtu` is its uplinks' ("MTU of its uplink"): an OVS bridge's
/// `uplink` and a Linux bridge's members that are no veth end (physical
/// NICs). A bridge's own `mtu` is also its uplinks' and members'. A veth
/// end keeps its own `mtu`. Links nobody sets stay at Linux's 1500.
struct OvsMTU {
    let host: Host
    let overlay: Int

    /// What the script sets on an OVS bridge's uplink.
    func uplink(_ bridge: OVSBridge) -> Int? { bridge.mtu ?? host.mtu }

    /// What the script sets on a Linux bridge's physical members.
    func physicalMember(_ bridge: LinuxBridge) -> Int? { bridge.mtu ?? host.mtu }

    /// The veth ends of the host, with their MTU.
    var vethMTU: [String: Int] { Self.vethMTU(host) }

    static func vethMTU(_ host: Host) -> [String: Int] {
        var out: [String: Int] = [:]
        for veth in host.veths {
            out[veth.name] = veth.mtu ?? 1500
            out[veth.peer.value] = veth.mtu ?? 1500
        }
        return out
    }

    /// A port that carries a cloud's VLANs carries the cloud's VMs' frames:
    /// the overlay MTU (the fabric's `mtu`), four bytes more through a
    /// dot1q-tunnel port, which adds an outer tag. The port (when it is a
    /// veth end) and its bridge's uplink must hold that.
    func problems() -> [Diagnostic] {
        let veths = vethMTU
        var out: [Diagnostic] = []
        for bridge in host.ovsBridges {
            for port in bridge.ports where port.carries != nil {
                let need = overlay + (port.vlanMode == .dot1qTunnel ? 4 : 0)
                let why =
                    "it carries cloud `\(port.carries!.value)`, whose VMs send \(overlay)-byte packets"
                    + (port.vlanMode == .dot1qTunnel ? " inside a second tag (+4)" : "")
                if let mtu = veths[port.name], mtu < need {
                    out.append(
                        Diagnostic(
                            .ovsPathMTU, at: port.origin.span,
                            "port `\(port.name)` has MTU \(mtu); \(why): it needs \(need)"
                        )
                        .labelled("a veth end of MTU \(mtu)")
                        .help("give veth `\(port.name)` `mtu \(need)` or more"))
                }
                if let uplink = bridge.uplink, (self.uplink(bridge) ?? 1500) < need {
                    let mtu = self.uplink(bridge) ?? 1500
                    out.append(
                        Diagnostic(
                            .ovsPathMTU, at: uplink.span,
                            "uplink `\(uplink.value)` of `\(bridge.name)` has MTU \(mtu); port `\(port.name)` needs \(need): \(why)"
                        )
                        .labelled(bridge.mtu == nil && host.mtu == nil ? "MTU 1500, nothing sets it" : "MTU \(mtu)")
                        .label(port.origin.span, "carries `\(port.carries!.value)`")
                        .help("give host `\(host.name)` (its uplinks) or bridge `\(bridge.name)` `mtu \(need)` or more")
                    )
                }
            }
        }
        return out
    }
}
