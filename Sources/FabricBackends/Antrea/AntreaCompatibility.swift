import FabricDiagnostics
import FabricSema
import Foundation
import Yams

/// Antrea refuses an update that alters or removes a range of an existing
/// IPPool, or changes its gateway or prefix length: this compares the new
/// pools with the previous build's `antrea/ippools.yaml`.
enum AntreaCompatibility {
    /// What an existing pool must keep, in either API version's terms.
    struct Existing: Equatable {
        var ranges: Set<AntreaRange> = []
        var gateway: String?
        var prefixLength: Int?
    }

    enum Failure: Error, CustomStringConvertible {
        case unreadable(String)
        var description: String {
            switch self {
            case .unreadable(let why): why
            }
        }
    }

    /// The IPPools of a previous `ippools.yaml`, by name.
    static func existingPools(in text: String) throws(Failure) -> [String: Existing] {
        var documents: [Node] = []
        do {
            // The parser throws on the first malformed document; iterating
            // `compose_all` would stop there silently.
            let parser = try Parser(yaml: text)
            while let node = try parser.nextRoot() { documents.append(node) }
        } catch {
            // libyaml's message spans lines (the context, then the problem).
            let lines = "\(error)".split(separator: "\n").prefix(2).map { $0.trimmingCharacters(in: .whitespaces) }
            throw .unreadable("it is not YAML (\(lines.joined(separator: ": ")))")
        }
        var pools: [String: Existing] = [:]
        for document in documents {
            guard document["kind"]?.string == "IPPool" else { continue }
            guard let name = document["metadata"]?["name"]?.string, let spec = document["spec"] else {
                throw .unreadable("an IPPool without metadata.name or spec")
            }
            var pool = Existing()
            for range in spec["ipRanges"]?.sequence ?? [] {
                if let cidr = range["cidr"]?.string {
                    pool.ranges.insert(.cidr(cidr))
                } else if let start = range["start"]?.string, let end = range["end"]?.string {
                    pool.ranges.insert(.startEnd(start, end))
                } else {
                    throw .unreadable("IPPool `\(name)` has a range with neither cidr nor start and end")
                }
                // v1alpha2 repeats the subnet on each range.
                pool.gateway = range["gateway"]?.string ?? pool.gateway
                pool.prefixLength = range["prefixLength"]?.int ?? pool.prefixLength
            }
            if let subnet = spec["subnetInfo"] {
                pool.gateway = subnet["gateway"]?.string
                pool.prefixLength = subnet["prefixLength"]?.int
            }
            pools[name] = pool
        }
        return pools
    }

    /// Errors (warnings with `allowBreaking`) for each pool the new build
    /// would change in a way Antrea refuses.
    static func check(_ pools: [AntreaPool], previous text: String, ir: FabricIR, allowBreaking: Bool) -> [Diagnostic] {
        let origins = Dictionary(ir.pools.map { ($0.name, $0.origin.span) }, uniquingKeysWith: { a, _ in a })
        let existing: [String: Existing]
        do {
            existing = try existingPools(in: text)
        } catch {
            guard let span = pools.first.flatMap({ origins[$0.name] }) else { return [] }
            return [
                Diagnostic(.antreaPrevious, at: span, "cannot read the previous build's antrea/ippools.yaml: \(error)")
                    .labelled("compared with it")
                    .help("point --previous at the output directory of the last build, as it was written")
            ]
        }
        var diagnostics: [Diagnostic] = []
        for pool in pools {
            guard let old = existing[pool.name], let span = origins[pool.name] else { continue }
            var changes: [String] = []
            let removed = old.ranges.subtracting(pool.ranges).sorted { $0.description < $1.description }
            if !removed.isEmpty {
                changes.append(
                    "removes or alters range\(removed.count == 1 ? "" : "s") \(removed.map { "`\($0)`" }.joined(separator: ", "))"
                )
            }
            if let g = old.gateway, g != pool.gateway {
                changes.append("changes the gateway from \(g) to \(pool.gateway)")
            }
            if let l = old.prefixLength, l != pool.prefixLength {
                changes.append("changes the prefix length from \(l) to \(pool.prefixLength)")
            }
            guard !changes.isEmpty else { continue }
            var d = Diagnostic(
                .antreaBreaking, at: span,
                "pool `\(pool.name)` \(changes.joined(separator: " and ")), which Antrea refuses for an existing IPPool"
            )
            .labelled("IPPool in the previous build")
            .note("Antrea only lets an IPPool gain ranges: addresses may be allocated from the old ones")
            if allowBreaking {
                d = d.severity(.warning).note(
                    "--allow-breaking: written anyway; delete and re-create the IPPool once no pod uses it")
            } else {
                d = d.help("keep the old ranges and add new ones, or pass --allow-breaking and re-create the IPPool")
            }
            diagnostics.append(d)
        }
        return diagnostics
    }
}
