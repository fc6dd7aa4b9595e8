import FabricDiagnostics
import FabricSema

/// BIRD 2 configs: `bird/<device>.conf` for every host with BGP sessions
/// (hypervisors with reflectors, Calico-style nodes with leaves) and every
/// route reflector. See `docs/backends.md` for what each holds and why.
public struct BirdBackend: TemplatedBackend {
    public let name = "bird"

    public init() {}

    public func validate(_ ir: FabricIR) -> [Diagnostic] {
        var diagnostics: [Diagnostic] = []
        let version = Self.targetVersion(ir.settings, &diagnostics)
        if let version {
            for feature in BirdFeature.allCases where version < feature.since {
                guard let site = ir.settings.site(of: feature) else { continue }
                var d = Diagnostic(
                    .birdFeature, at: site,
                    "\(feature.what) need BIRD \(feature.since), but the target is BIRD \(version)"
                )
                .labelled("needs BIRD \(feature.since) or newer")
                if let target = ir.settings.birdVersion {
                    d = d.label(target.span, "the target BIRD release")
                } else {
                    d = d.note("the target is BIRD 2.0 unless the fabric sets `bird-version`")
                }
                diagnostics.append(
                    d.help("set `bird-version \"\(feature.since)\"` in the fabric if every speaker runs it"))
            }
        }
        for host in ir.hosts where Self.runsBird(host) {
            let roles = Set(host.sessions.map { ir.sessions[$0].role })
            if roles.contains(.reflectorClient) {
                for vm in host.vms {
                    guard let ip = vm.ip, !ip.value.isV4 else { continue }
                    diagnostics.append(
                        Diagnostic(
                            .birdIPv6, at: ip.span,
                            "VM `\(vm.name)` has an IPv6 address, which its host's BIRD cannot announce"
                        )
                        .labelled("IPv6 address")
                        .note("host `\(host.name)` announces IPv4 host routes to its reflectors"))
                }
            }
            if roles.contains(.leaf) {
                for block in host.podBlocks where !block.value.network.isV4 {
                    diagnostics.append(
                        Diagnostic(
                            .birdIPv6, at: block.span,
                            "pod block \(block.value) is IPv6, which node `\(host.name)` cannot announce"
                        )
                        .labelled("IPv6 pod block")
                        .note("the BIRD backend announces IPv4 pod blocks over IPv4 sessions"))
                }
            }
        }
        let routers = Dictionary(ir.routers.map { ($0.name, $0) }, uniquingKeysWith: { a, _ in a })
        let defaultTakers = Set(ir.hosts.filter { Self.runsBird($0) && $0.importRoutes == .defaultRoute }.map(\.name))
        for session in ir.sessions {
            guard case .router(let r) = session.b, let router = routers[r], router.multihop != nil else { continue }
            let taker: String? =
                switch session.role {
                case .leaf: defaultTakers.contains(session.a.name) ? "host `\(session.a.name)`" : nil
                case .upstream:
                    ir.reflectors.first { $0.name == session.a.name }?.clients.first(where: defaultTakers.contains).map
                    { "reflector `\(session.a.name)` (for its client `\($0)`)" }
                case .reflectorClient, .reflectorMesh: nil
                }
            guard let taker else { continue }
            diagnostics.append(
                Diagnostic(
                    .birdMultihopDefault, at: router.origin.span,
                    "\(taker) would take the default route from `\(r)` over a multihop session"
                )
                .labelled("`multihop \(router.multihop!)`")
                .note("the next hop is not on a shared segment; without an IGP table BIRD keeps the route unreachable")
                .help("peer directly (drop `multihop`), or leave the hosts' `import` at `none`"))
        }
        // Every config needs a router ID; sessions already demand one, a
        // reflector without clients still gets a config.
        for reflector in ir.reflectors where reflector.routerID == nil {
            diagnostics.append(
                Diagnostic(
                    .noRouterID, at: reflector.origin.span,
                    "reflector `\(reflector.name)` has no IPv4 router ID for its BIRD config"
                )
                .labelled("no IPv4 `address` or `router-id`")
                .help("add `router-id` with an IPv4 address"))
        }
        var reported: Set<Device> = []
        let calico = ir.calicoNodes
        for session in ir.sessions where Self.hasBirdSide(session, calico: calico) {
            for (device, address) in [(session.a, session.aAddress), (session.b, session.bAddress)]
            where !address.isV4 && reported.insert(device).inserted {
                guard let origin = ir.origin(of: device) else { continue }
                diagnostics.append(
                    Diagnostic(
                        .birdIPv6, at: origin.span, "\(device.kind) `\(device.name)` peers over IPv6 address \(address)"
                    )
                    .labelled("IPv6 peering address")
                    .note("the BIRD backend runs IPv4 sessions; give the \(device.kind) an IPv4 `address`"))
            }
        }
        return diagnostics
    }

    public func generate(_ input: BackendInput) -> BackendOutput {
        let builder = BirdModelBuilder(input: input)
        // Each config is built and laid out on its own: view model and text
        // on every core, in device order.
        let rendered = ParallelRender.map(Self.devices(input.ir)) { Self.layouts($0, builder).rendered() }
        var output = BackendOutput()
        for files in rendered {
            output.files += files.files
            output.secretFiles += files.secretFiles
        }
        output.diagnostics = builder.diagnostics
        return output
    }

    var templates: [String] { ["config", "secrets"] }

    func layouts(_ input: BackendInput) -> [TemplateLayout] {
        let builder = BirdModelBuilder(input: input)
        return Self.devices(input.ir).flatMap { Self.layouts($0, builder) }
    }

    enum BirdDevice: Sendable {
        case host(Host)
        case reflector(Reflector)
    }

    /// Whether fabricc writes the host's BIRD config: it has sessions and
    /// its BGP is not Calico's (calico-node writes its own BIRD config).
    static func runsBird(_ host: Host) -> Bool { !host.sessions.isEmpty && host.cni == .none }

    /// Whether one end of the session runs a BIRD config fabricc writes: a
    /// reflector, or a host that is not a Calico node (a router never).
    static func hasBirdSide(_ session: BGPSession, calico: Set<Device>) -> Bool {
        [session.a, session.b].contains { device in
            switch device {
            case .reflector: true
            case .host: !calico.contains(device)
            case .router: false
            }
        }
    }

    /// The BGP speakers that get a config, in output order.
    static func devices(_ ir: FabricIR) -> [BirdDevice] {
        ir.hosts.filter(runsBird).map(BirdDevice.host) + ir.reflectors.map(BirdDevice.reflector)
    }

    /// A device's config, and its secrets file when the build writes secrets.
    static func layouts(_ device: BirdDevice, _ builder: BirdModelBuilder) -> [TemplateLayout] {
        let (name, config) =
            switch device {
            case .host(let host): (host.name, builder.hostConfig(host))
            case .reflector(let reflector): (reflector.name, builder.reflectorConfig(reflector))
            }
        var layouts = [TemplateLayout(path: "bird/\(name).conf", template: "bird/config", model: config)]
        if let secrets = builder.secrets(of: config, device: name) {
            layouts.append(
                TemplateLayout(
                    path: "bird/" + BirdModelBuilder.secretsFileName(name), template: "bird/secrets",
                    model: secrets, isSecret: true))
        }
        return layouts
    }

    /// The `bird-version` setting, or 2.0; nil (and reported) when unusable.
    static func targetVersion(_ settings: FabricSettings, _ diagnostics: inout [Diagnostic]) -> BirdVersion? {
        guard let (text, span) = settings.birdVersion.map({ ($0.value, $0.span) }) else { return .baseline }
        guard let version = BirdVersion(text) else {
            diagnostics.append(
                Diagnostic(.birdVersion, at: span, "`\(text)` is not a BIRD version")
                    .labelled("expected a release such as \"2.0.12\"")
                    .help("write the release as numbers and dots: `bird-version \"2.0\"`"))
            return nil
        }
        guard version.isSupported else {
            diagnostics.append(
                Diagnostic(.birdVersion, at: span, "BIRD \(version) is not supported; fabricc generates BIRD 2 configs")
                    .labelled("not BIRD 2"))
            return nil
        }
        return version
    }
}

extension FabricSettings {
    /// Where the intent turns `feature` on; nil when it does not.
    func site(of feature: BirdFeature) -> Span? {
        switch feature {
        case .bgpRoles: bgpRoles.flatMap { $0.value ? $0.span : nil }
        }
    }
}

extension FabricIR {
    /// The hosts whose BGP calico-node runs.
    var calicoNodes: Set<Device> { Set(hosts.filter { $0.cni == .calico }.map { Device.host($0.name) }) }

    /// Where a BGP speaker is declared (every session's ends are).
    func origin(of device: Device) -> Origin? {
        switch device {
        case .host(let n): hosts.first { $0.name == n }?.origin
        case .reflector(let n): reflectors.first { $0.name == n }?.origin
        case .router(let n): routers.first { $0.name == n }?.origin
        }
    }
}
