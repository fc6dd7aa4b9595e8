/// A tree committed by fabricc before secrets left the output held BGP
/// passwords in its configs (`password "…"` in BIRD, `authentication-key`
/// in the three Junos forms). fabricc no longer writes them, so the first
/// `--check --diff` after an upgrade would print them as removed lines into
/// a CI log: their values are masked there. (They are in the repository's
/// history all the same: rotate them.)
public enum LegacySecretRedaction {
    static let mask = "<redacted by fabricc>"

    public static func masked(_ text: String) -> String {
        guard text.contains("password") || text.contains("authentication-key") else { return text }
        // Built per call: a Regex is not Sendable, and this runs once per diff.
        var out = text.replacing(/(?<k>password\s+)"[^"\n]*"/) { $0.output.k + "\"" + mask + "\"" }
        out = out.replacing(/(?<k>authentication-key\s+)"(?:\\.|[^"\\\n])*"/) { $0.output.k + "\"" + mask + "\"" }
        out = out.replacing(/<authentication-key>[^<\n]*<\/authentication-key>/) { _ in
            "<authentication-key>" + mask + "</authentication-key>"
        }
        return out
    }
}
