import FabricBase
import FabricDiagnostics
import FabricSyntax

/// Names and strings the targets cannot carry: Linux interface names,
/// Kubernetes names, BIRD symbols, shell-unsafe characters, VXLAN MTU.
struct NameChecks {
    let ir: FabricIR
    var diagnostics: [Diagnostic] = []

    static func run(_ ir: FabricIR) -> [Diagnostic] {
        var c = NameChecks(ir: ir)
        c.interfaces()
        c.kubernetes()
        c.bird()
        c.shell()
        c.vxlan()
        return c.diagnostics
    }

    static func interfaceProblem(_ name: String) -> String? {
        if name.utf8.count > 15 { return "\(name.utf8.count) bytes; at most 15" }
        if name == "." || name == ".." { return "`\(name)` is reserved" }
        if name.isEmpty { return "empty" }
        // ovs-vsctl and virsh would read it as an option.
        if name.hasPrefix("-") { return "starts with `-`" }
        // ASCII without Unicode property lookups: names are ASCII nearly always.
        func refused(_ c: Unicode.Scalar) -> Bool {
            switch c.value {
            case 0..<0x21, 0x7F, 0x2F, 0x3A: true  // controls, space, DEL, `/`, `:`
            case 0x21..<0x80: false
            default: c.properties.isWhitespace
            }
        }
        if let bad = name.unicodeScalars.first(where: refused) {
            return bad.properties.isWhitespace ? "holds white space" : "holds `\(bad)`"
        }
        return nil
    }

    /// libvirt ignores a `<target dev>` with the prefixes of the names it
    /// makes itself and picks its own: the script would wait for a name
    /// that never comes.
    static func libvirtReserved(_ name: String) -> String? {
        // Most names start elsewhere: one byte decides.
        guard let first = name.utf8.first, first == UInt8(ascii: "v") || first == UInt8(ascii: "m") else { return nil }
        return ["vnet", "vif", "macvtap", "macvlan"].first { name.hasPrefix($0) }.map {
            "starts with `\($0)`, which libvirt reserves for the names it makes"
        }
    }

    /// An interface name goes into `ip link` and `ovs-vsctl` commands: it
    /// must be a valid Linux name and safe in a script.
    mutating func interface(_ name: String, _ what: String, at span: Span) {
        if let problem = NameChecks.interfaceProblem(name) {
            diagnostics.append(
                Diagnostic(.interfaceName, at: span, "\(what) `\(name)` is not a valid Linux interface name")
                    .labelled(problem))
            return
        }
        shell(name, what, at: span)
    }

    mutating func interfaces() {
        let pools = ir.poolGateways
        for h in ir.hosts {
            for b in h.linuxBridges {
                interface(b.name, "bridge", at: b.origin.span)
                for m in b.members { interface(m.value, "bridge member", at: m.span) }
            }
            for b in h.ovsBridges {
                interface(b.name, "OVS bridge", at: b.origin.span)
                if let u = b.uplink { interface(u.value, "uplink", at: u.span) }
                for p in b.ports { interface(p.name, "port", at: p.origin.span) }
            }
            for v in h.veths {
                interface(v.name, "veth end", at: v.origin.span)
                interface(v.peer.value, "veth peer", at: v.peer.span)
            }
            guard h.platform != .esxi, !h.reflectors.isEmpty else { continue }
            // By index: `for vm in` would copy every VM.
            var gateways = GatewayLookup(pools, fallback: h.gateway)
            for n in h.vms.indices where h.routableAddress(at: n) != nil && gateways.of(h.vms[n].pool) != nil {
                // Fields read in place, and the message made only for a
                // finding: this runs for every routed VM.
                let name = h.vms[n].hostInterface
                let problem = NameChecks.interfaceProblem(name.value) ?? NameChecks.libvirtReserved(name.value)
                guard let problem else {
                    // A default interface is the VM's name, which `shell()` checks.
                    if h.vms[n].interface != nil { shell(name.value, "VM interface", at: name.span) }
                    continue
                }
                let vm = h.vms[n]
                let message =
                    vm.interface == nil
                    ? "VM `\(vm.name)` needs an `interface`: its name cannot name its interface on the host"
                    : "VM `\(vm.name)`'s interface `\(name.value)` cannot be"
                diagnostics.append(
                    Diagnostic(.interfaceName, at: name.span, message)
                        .labelled(problem)
                        .note(
                            "host `\(h.name)` routes it in an IP fabric, through its interface (libvirt's `<target dev='…'/>`)"
                        )
                        .help("give it `interface fab-\(h.name.prefix(6))-\(n)`, or another name of at most 15 bytes"))
            }
        }
    }

    /// DNS-1123 label (`subdomain == false`) or subdomain.
    static func kubernetesProblem(_ name: String, subdomain: Bool) -> String? {
        let limit = subdomain ? 253 : 63
        if name.isEmpty { return "empty" }
        if name.utf8.count > limit { return "longer than \(limit) characters" }
        for label in subdomain ? name.split(separator: ".", omittingEmptySubsequences: false).map(String.init) : [name]
        {
            if label.isEmpty { return "empty part between dots" }
            if label.utf8.count > 63 { return "a part is longer than 63 characters" }
            if let bad = label.unicodeScalars.first(where: {
                !(("a"..."z").contains($0) || ("0"..."9").contains($0) || $0 == "-")
            }) {
                return ("A"..."Z").contains(bad)
                    ? "upper-case `\(bad)`; use lower case" : "`\(bad)` is not allowed; use a-z, 0-9 and `-`"
            }
            if label.hasPrefix("-") || label.hasSuffix("-") { return "starts or ends with `-`" }
        }
        return nil
    }

    mutating func kubernetes() {
        let antreaPools = Set(ir.namespaces.flatMap(\.pools) + ir.pods.compactMap(\.pool))
        for ns in ir.namespaces {
            if let p = NameChecks.kubernetesProblem(ns.name, subdomain: false) {
                diagnostics.append(
                    Diagnostic(
                        .kubernetesName, at: ns.origin.span, "namespace `\(ns.name)` is not a valid Kubernetes name"
                    ).labelled(p))
            }
        }
        for pod in ir.pods {
            if let p = NameChecks.kubernetesProblem(pod.name, subdomain: true) {
                diagnostics.append(
                    Diagnostic(.kubernetesName, at: pod.origin.span, "pod `\(pod.name)` is not a valid Kubernetes name")
                        .labelled(p))
            }
        }
        for pool in ir.pools where antreaPools.contains(pool.name) {
            if let p = NameChecks.kubernetesProblem(pool.name, subdomain: true) {
                diagnostics.append(
                    Diagnostic(
                        .kubernetesName, at: pool.origin.span,
                        "pool `\(pool.name)` becomes an Antrea IPPool but is not a valid Kubernetes name"
                    )
                    .labelled(p))
            }
        }
    }

    /// Devices name generated files and BIRD protocols and filters.
    mutating func bird() {
        var devices: [(String, String, Span)] = ir.hosts.map { ("host", $0.name, $0.origin.span) }
        devices += ir.reflectors.map { ("reflector", $0.name, $0.origin.span) }
        devices += ir.routers.map { ("router", $0.name, $0.origin.span) }
        // Files are `bird/<name>.conf` whatever the kind, and some file
        // systems ignore case: names that differ only in kind, case or in
        // `-`/`.`/`_` would overwrite each other's files or symbols. (The
        // same kind and spelling up to `-`/`.`/`_` is FAB3002 already.)
        var seen: [String: (kind: String, name: String, span: Span)] = [:]
        func spelling(_ n: String) -> String { String(n.map { $0 == "-" || $0 == "." ? "_" : $0 }) }
        for (kind, name, span) in devices {
            let key = spelling(name).lowercased()
            if let first = seen[key] {
                if first.kind != kind || spelling(first.name) != spelling(name) {
                    diagnostics.append(
                        Diagnostic(
                            .birdSymbol, at: span,
                            "\(kind) `\(name)` and \(first.kind) `\(first.name)` would name the same generated files"
                        )
                        .labelled("clashes with `\(first.name)`")
                        .label(first.span, "declared here")
                        .note("generated files and BIRD symbols ignore case and treat `-`, `.` and `_` alike")
                        .help("give every host, reflector and router a distinct name"))
                }
            } else {
                seen[key] = (kind, name, span)
            }
        }
        for (kind, name, span) in devices {
            let ok =
                !name.isEmpty && name.utf8.count <= 48 && !name.hasPrefix(".") && !name.hasPrefix("-")
                && name.unicodeScalars.allSatisfy {
                    ("a"..."z").contains($0) || ("A"..."Z").contains($0) || ("0"..."9").contains($0) || $0 == "-"
                        || $0 == "_" || $0 == "."
                }
            if !ok {
                diagnostics.append(
                    Diagnostic(.birdSymbol, at: span, "\(kind) `\(name)` cannot name a generated file or BIRD protocol")
                        .labelled(
                            name.utf8.count > 48
                                ? "longer than 48 characters"
                                : "use letters, digits, `-`, `_` and `.`, not first `.` or `-`"))
            }
        }
    }

    /// By UTF-8 byte: every allowed character is ASCII, and a byte of a
    /// multi-byte sequence is never one (this runs for every VM's name).
    static func shellSafe(_ s: String) -> Bool {
        s.allUTF8 { b in
            switch b {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: " "), UInt8(ascii: "-"), UInt8(ascii: "_"),
                UInt8(ascii: "."), UInt8(ascii: "+"), UInt8(ascii: "@"), UInt8(ascii: "="), UInt8(ascii: ","):
                true
            default: false
            }
        }
    }

    mutating func shell(_ value: String, _ what: String, at span: Span) {
        if value.isEmpty {
            diagnostics.append(
                Diagnostic(.shellUnsafe, at: span, "\(what) is empty")
                    .labelled("an empty name cannot be written into a script"))
            return
        }
        guard !NameChecks.shellSafe(value) else { return }
        let bad = value.unicodeScalars.first { !NameChecks.shellSafe(String($0)) }!
        diagnostics.append(
            Diagnostic(
                .shellUnsafe, at: span, "\(what) `\(value)` holds `\(bad)`, which a generated script cannot carry"
            )
            .labelled("refused: letters, digits, space and `-_.+@=,` only")
            .note("it would be written into a shell script; fabricc refuses it rather than risk a command injection"))
    }

    mutating func shell() {
        for h in ir.hosts {
            for s in h.vswitches {
                shell(s.name, "vSwitch name", at: s.origin.span)
                for u in s.uplinks { shell(u.value, "uplink", at: u.span) }
                if let f = s.failover { for u in f.active + f.standby { shell(u.value, "uplink", at: u.span) } }
                for g in s.portGroups {
                    shell(g.name, "port group name", at: g.origin.span)
                    if let f = g.failover { for u in f.active + f.standby { shell(u.value, "uplink", at: u.span) } }
                }
            }
            for v in h.vms.indices {
                if let d = h.vms[v].domain { shell(d.value, "libvirt domain", at: d.span) }
                shell(h.vms[v].name, "VM name", at: h.vms[v].origin.span)
            }
        }
    }

    mutating func vxlan() {
        let mtu = ir.settings.overlayMTU
        guard let underlay = ir.settings.underlayMTU, underlay.value < mtu + 50 else { return }
        var d = Diagnostic(
            .vxlanMTU, at: underlay.span,
            "underlay MTU \(underlay.value) is too small for VXLAN with overlay MTU \(mtu)"
        )
        .labelled("needs at least \(mtu + 50)")
        if let m = ir.settings.mtu { d = d.label(m.span, "overlay MTU") }
        diagnostics.append(d.help("raise `underlay-mtu` to \(mtu + 50) or more (VXLAN over IPv4 adds 50 bytes)"))
    }
}
