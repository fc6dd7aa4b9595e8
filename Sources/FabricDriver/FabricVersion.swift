/// The version printed by `fabricc --version` and recorded in outputs.
public enum FabricVersion {
    public static let current = "0.1.0"
}
