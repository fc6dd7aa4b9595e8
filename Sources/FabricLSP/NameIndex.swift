import FabricDiagnostics
import FabricSema
import FabricSyntax

/// Where each name of an intent is declared and used, for definition,
/// references, rename and hover. Declarations come from the syntax tree
/// (a block's label) and, for names a loop makes (`host "kvm${i:02}"`),
/// from the checked model's origins; references are the values of
/// attributes whose type is a reference to a kind of block.
struct NameIndex {
    struct Declaration {
        let kind: String
        let name: String
        /// The label: a name or string, or, for a loop, its template.
        let span: Span
        /// Made by a loop: there is no one label to rename.
        let fromLoop: Bool
    }

    struct Reference {
        let kind: String
        let name: String
        let span: Span
    }

    var declarations: [Declaration] = []
    var references: [Reference] = []

    init(program: ParsedProgram, ir: FabricIR?) {
        for file in program.files { walk(file.items, parent: nil) }
        var seen = Set(declarations.map { "\($0.kind) \($0.name)" })
        func add(_ kind: String, _ name: String, _ origin: Origin) {
            guard seen.insert("\(kind) \(name)").inserted else { return }
            declarations.append(Declaration(kind: kind, name: name, span: origin.span, fromLoop: origin.loop != nil))
        }
        guard let ir else { return }
        for x in ir.hosts {
            add("host", x.name, x.origin)
            for v in x.vms { add("vm", v.name, v.origin) }
            for n in x.networks { add("network", n.name, n.origin) }
        }
        for x in ir.reflectors { add("reflector", x.name, x.origin) }
        for x in ir.routers { add("router", x.name, x.origin) }
        for x in ir.pools { add("pool", x.name, x.origin) }
        for x in ir.networks { add("network", x.name, x.origin) }
        for x in ir.clusters { add("cluster", x.name, x.origin) }
        for x in ir.vlans { add("vlan", x.name, x.origin) }
        for x in ir.secrets { add("secret", x.name, x.origin) }
        for x in ir.clouds { add("openstack", x.name, x.origin) }
        for x in ir.namespaces { add("namespace", x.name, x.origin) }
        for x in ir.pods { add("pod", x.name, x.origin) }
    }

    mutating func walk(_ items: [Item], parent: String?) {
        for item in items {
            switch item {
            case .block(let b):
                if let label = b.labels.first {
                    if let name = Self.text(label) {
                        declarations.append(
                            Declaration(kind: b.keyword.name, name: name, span: label.span, fromLoop: false))
                    }
                }
                walk(b.body, parent: b.keyword.name)
            case .forLoop(let f):
                walk(f.body, parent: parent)
            case .attribute(let a):
                guard let parent, let spec = LanguageSchema.block(parent)?.attribute(a.keyword.name) else { continue }
                let kind: String
                switch spec.type {
                case .reference(let k): kind = k
                case .vlan: kind = "vlan"  // a VLAN ID, or a `vlan` declaration's name
                default: continue
                }
                for v in a.values {
                    if let name = Self.text(v) { references.append(Reference(kind: kind, name: name, span: v.span)) }
                }
            case .include:
                break
            }
        }
    }

    /// A bare name or a string without interpolation.
    static func text(_ e: Expression) -> String? {
        if case .name(let n) = e.kind { return n }
        return e.plainString
    }

    /// The declaration or reference under `offset` in `file`.
    func name(at file: FileID, _ offset: UInt32) -> (kind: String, name: String, span: Span)? {
        func hit(_ s: Span) -> Bool { s.file == file && s.start <= offset && offset <= s.end }
        if let r = references.first(where: { hit($0.span) }) { return (r.kind, r.name, r.span) }
        if let d = declarations.first(where: { hit($0.span) && !$0.fromLoop }) { return (d.kind, d.name, d.span) }
        return nil
    }

    func declaration(_ kind: String, _ name: String) -> Declaration? {
        declarations.first { $0.kind == kind && $0.name == name }
    }

    func references(_ kind: String, _ name: String) -> [Reference] {
        references.filter { $0.kind == kind && $0.name == name }
    }
}
