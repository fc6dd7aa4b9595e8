/// The view model of one Linux host's wiring script: every value already
/// quoted for `sh`. Each step runs its commands only when its guard says the
/// object is still missing, or always when they only set state.
struct OvsScript {
    let header: [String]
    let host: String
    /// Tools the script needs, checked before anything changes.
    let tools: [String]
    let steps: [OvsStep]
    let ipFabric: OvsIPFabric?
    /// Which helper functions the steps call: veth and Linux bridge checks,
    /// Open vSwitch, libvirt. A script carries only those it uses.
    let links: Bool
    let ovs: Bool
    let virsh: Bool
}

/// The VMs a host routes in an IP fabric: one `route_vm` line each.
struct OvsIPFabric {
    /// `route_vm`'s arguments, already quoted.
    let vms: [String]
    /// Their interfaces, space-separated (names hold no white space), for
    /// the table pass to skip.
    let own: String
}

/// `ovs/routed-vms`: every routed VM of the fabric, a line each.
struct OvsRoutedVMTable {
    let header: [String]
    /// `interface address gateway mac vm`; names are shell-safe (FAB6004)
    /// and interface names hold no white space (FAB6001).
    let rows: [String]
}

struct OvsStep {
    /// A comment line before the step, for the first step of each object.
    let comment: String?
    /// A shell condition the commands run under (most say the object is
    /// still missing; a routed VM's, that its interface is there); nil when
    /// the commands run every time (they set, and setting again changes nothing).
    let guardCondition: String?
    let commands: [String]
}
