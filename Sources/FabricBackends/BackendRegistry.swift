/// The code generators, one per target (bird, junos, esxi, antrea, ovs).
///
/// Each backend will read the typed IR from FabricSema, build a per-device
/// view model and render it through `Templates/<backend>/`. None is
/// registered yet: the language front end comes first, and `fabricc build`
/// arrives with the first backend.
public enum BackendRegistry {
    /// Names of the registered backends, in output order.
    public static let names: [String] = []
}
