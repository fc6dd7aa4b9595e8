import FabricDriver
import FabricSema
import FabricTestSupport
import Foundation
import Mustache
import Testing

@testable import FabricBackends

/// fabricc lays out its templates with its own renderer (`Template`), which
/// switches over typed values instead of casting `Any` at every lookup. It
/// must mean what Mustache means: these tests hold it to the Mustache spec
/// for the subset it supports, and to swift-mustache, the reference
/// implementation, byte for byte on every bundled template with the view
/// model of every golden intent.
@Suite struct TemplateEngineTests {
    /// A view model made of a dictionary, for the spec cases: every name
    /// is known to it, and empty when the dictionary lacks it.
    struct Model: TemplateNode, Equatable {
        let values: [String: Value]
        init(_ values: [String: Value]) { self.values = values }
        func value(named name: String) -> TemplateValue? { values[name]?.templateValue ?? .empty }
    }

    indirect enum Value: TemplateRepresentable, Equatable {
        case text(String)
        case flag(Bool)
        case list([Value])
        case model(Model)
        var templateValue: TemplateValue {
            switch self {
            case .text(let text): .text(text)
            case .flag(let flag): .flag(flag)
            case .list(let list): list.templateValue
            case .model(let model): .node(model)
            }
        }
    }

    static func render(_ template: String, _ values: [String: Value]) throws -> String {
        try Template(template).render(Model(values))
    }

    @Test func variablesWriteTextAsItIs() throws {
        #expect(
            try Self.render("a {{x}} b {{{x}}} c {{& x}}", ["x": .text("<&\"{{y}}\">")])
                == "a <&\"{{y}}\"> b <&\"{{y}}\"> c <&\"{{y}}\">")
        #expect(try Self.render("[{{missing}}]", [:]) == "[]")
        #expect(try Self.render("{{f}}/{{t}}", ["f": .flag(false), "t": .flag(true)]) == "false/true")
    }

    @Test func standaloneSectionLinesLeaveNoTrace() throws {
        let template = "top\n  {{#items}}  \n- {{.}}\n\t{{/items}}\n{{! a comment }}\n{{% CONTENT_TYPE: TEXT}}\nend\n"
        #expect(try Self.render(template, ["items": .list([.text("a"), .text("b")])]) == "top\n- a\n- b\nend\n")
        // With text beside it a tag is not standalone: its line stays.
        #expect(try Self.render("x {{#t}}\ny{{/t}}.\n", ["t": .flag(true)]) == "x \ny.\n")
        // Two tags on one line: neither is standalone.
        #expect(try Self.render("{{#t}}{{/t}}\nz\n", ["t": .flag(true)]) == "\nz\n")
        // CRLF line ends and a last line without one.
        #expect(try Self.render("a\r\n{{#t}}\r\nb\r\n{{/t}}", ["t": .flag(true)]) == "a\r\nb\r\n")
        // A tag on an unterminated last line keeps the spaces after it.
        #expect(try Self.render("{{! c }}  ", [:]) == "  ")
    }

    /// A name that no view model on the stack has is fabricc's bug: the
    /// render stops rather than lay out empty text in a config.
    @Test func anUnknownNameStopsTheRender() async {
        await #expect(processExitsWith: .failure) {
            struct Strict: TemplateNode {
                func value(named name: String) -> TemplateValue? { name == "known" ? .text("k") : nil }
            }
            _ = try? Template("{{known}} {{typo}}").render(Strict())
        }
    }

    @Test func sectionsFollowTheirValue() throws {
        let template = "{{#v}}[{{.}}]{{/v}}{{^v}}none{{/v}}"
        #expect(try Self.render(template, ["v": .list([])]) == "none")
        #expect(try Self.render(template, ["v": .list([.text("1"), .text("2")])]) == "[1][2]")
        #expect(try Self.render(template, ["v": .flag(false)]) == "none")
        #expect(try Self.render(template, [:]) == "none")
        // Empty text is a value: Mustache shows the section.
        #expect(try Self.render(template, ["v": .text("")]) == "[]")
        #expect(try Self.render("{{#t}}{{x}}{{/t}}", ["t": .flag(true), "x": .text("kept")]) == "kept")
    }

    @Test func namesAreLookedUpDownTheContextStack() throws {
        let inner = Model(["name": .text("inner")])
        let values: [String: Value] = ["name": .text("outer"), "other": .text("o"), "child": .model(inner)]
        #expect(try Self.render("{{#child}}{{name}} {{other}}{{/child}} {{name}}", values) == "inner o outer")
        // A name the inner model has no value for is found below it.
        let sparse = Model([:])
        #expect(
            try Self.render("{{#child}}{{name}}{{/child}}", ["name": .text("outer"), "child": .model(sparse)])
                == "outer")
        // A name the inner model has, even false, empty or "", stops there.
        for value: Value in [.flag(false), .list([]), .text("")] {
            let shadowing = Model(["name": value])
            #expect(
                try Self.render(
                    "{{#child}}[{{#name}}x{{/name}}]{{/child}}", ["name": .text("outer"), "child": .model(shadowing)])
                    == (value == .text("") ? "[x]" : "[]"))
        }
        // A true flag is not pushed: `.` is still the enclosing value.
        #expect(
            try Self.render("{{#items}}{{#t}}{{.}}{{/t}}{{/items}}", ["t": .flag(true), "items": .list([.text("a")])])
                == "a")
    }

    @Test(arguments: [
        ("{{#a}}x", "section `a` is never closed"),
        ("{{#a}}x{{/b}}", "`b` closes section `a` opened on line 1"),
        ("x{{/b}}", "`b` closes no open section"),
        ("{{> partial}}", "partials, blocks and delimiter changes are not supported"),
        ("{{=<% %>=}}", "partials, blocks and delimiter changes are not supported"),
        ("{{a.b}}", "is not a plain name"),
        ("{{upper(a)}}", "is not a plain name"),
        ("{{% CONTENT_TYPE: HTML}}", "the only pragma is"),
        ("{{a\n}}", "a tag is not closed"),
        ("a{{#x}}\nb\n{{/x}}\n", "must open and close alike"),
        ("{{#x}}\nb{{/x}}\n", "must open and close alike"),
    ])
    func unsupportedOrBrokenTemplatesAreRefused(template: String, message: String) {
        #expect {
            try Template(template)
        } throws: { error in
            "\(error)".contains(message)
        }
    }

    // MARK: - The same bytes as swift-mustache

    /// Hands a view model to swift-mustache as the values it knows.
    struct Bridge: MustacheParent {
        let node: any TemplateNode
        func child(named name: String) -> Any? { node.value(named: name).flatMap(Self.mustache) }

        static func mustache(_ value: TemplateValue) -> Any? {
            switch value {
            case .empty: nil
            case .text(let text): text
            case .flag(let flag): flag
            case .list(let list): (0..<list.count).map { mustache(list.element($0)) as Any }
            case .node(let node): Bridge(node: node)
            }
        }
    }

    static func mustacheRender(_ model: some TemplateNode, template name: String) throws -> String {
        var library = MustacheLibrary()
        try library.register(#require(TemplateLibrary.sources[name]), named: name)
        let text = try #require(library.render(Bridge(node: model), withTemplate: name))
        return text.hasSuffix("\n") ? text : text + "\n"
    }

    /// Every intent with golden output: the examples and the build cases.
    static func intents() -> [URL] {
        let root = PackageRoot.url
        let examples =
            (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("examples").path)) ?? []
        let builds =
            (try? FileManager.default.contentsOfDirectory(atPath: root.appendingPathComponent("Golden/build").path))
            ?? []
        return
            (examples.filter { $0.hasSuffix(".fab") }.map { root.appendingPathComponent("examples/\($0)") }
            + builds.map { root.appendingPathComponent("Golden/build/\($0)/main.fab") })
            .filter { FileManager.default.fileExists(atPath: $0.path) }
            .sorted { $0.path < $1.path }
    }

    /// The backends that lay out through templates, from the registry.
    static var templated: [any TemplatedBackend] { BackendRegistry.all.compactMap { $0 as? any TemplatedBackend } }

    /// Every template file is a registered backend's, and every template a
    /// backend declares is bundled.
    @Test func everyTemplateBelongsToARegisteredBackend() {
        let declared = Set(Self.templated.flatMap { backend in backend.templates.map { "\(backend.name)/\($0)" } })
        #expect(
            Set(TemplateLibrary.sources.keys) == declared,
            "bundled: \(TemplateLibrary.sources.keys.sorted()), declared: \(declared.sorted())")
    }

    /// The bundle holds what `Templates/` holds: SwiftPM caches the list of
    /// folders Package.swift reads, so a new backend's folder can be missing.
    @Test func theBundleHoldsEveryTemplateOnDisk() throws {
        let root = PackageRoot.url.appendingPathComponent("Templates")
        let onDisk =
            (FileManager.default.enumerator(at: root, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? [])
            .filter { $0.pathExtension == "mustache" }
            .map {
                String(
                    $0.standardizedFileURL.deletingPathExtension().path.dropFirst(
                        root.standardizedFileURL.path.count + 1))
            }
        #expect(
            Set(onDisk) == Set(TemplateLibrary.sources.keys),
            "the bundle is stale: build once with `swift build --build-tests --manifest-cache none` (scripts/test does)"
        )
    }

    /// Every layout of every golden intent, through both engines, and
    /// every name of every template answered by some model.
    @Test func everyTemplateRendersEveryGoldenModelAsSwiftMustacheDoes() throws {
        var compared: [String: Int] = [:]
        var answered: [String: Set<String>] = [:]
        for intent in Self.intents() {
            guard let ir = Driver.check(intent.path).ir else { continue }
            // Test values for every secret, so the secrets files render too.
            let secrets = Dictionary(ir.secrets.map { ($0.name, "test-\($0.name)") }, uniquingKeysWith: { a, _ in a })
            let input = BackendInput(
                ir: ir, sourceName: intent.lastPathComponent, secrets: secrets, compilerVersion: "test")
            for backend in Self.templated {
                for layout in backend.layouts(input) {
                    let template = try #require(
                        TemplateLibrary.shared[layout.template], "\(layout.template) is not bundled")
                    var text = template.render(layout.model, answering: &answered[layout.template, default: []])
                    if !text.hasSuffix("\n") { text += "\n" }
                    #expect(text == layout.render().contents)
                    let reference = try Self.mustacheRender(layout.model, template: layout.template)
                    #expect(
                        text == reference, "\(intent.lastPathComponent): \(layout.path) differs from swift-mustache")
                    compared[layout.template, default: 0] += 1
                }
            }
        }
        // Every bundled template was exercised, most of them many times.
        #expect(Set(compared.keys) == Set(TemplateLibrary.sources.keys))
        #expect(compared.values.allSatisfy { $0 >= 2 }, "\(compared)")
        // A name no golden model ever answered would be checked by nothing:
        // give it a golden case that enters its section.
        for (name, template) in TemplateLibrary.shared {
            let unanswered = template.names.subtracting(answered[name] ?? [])
            #expect(unanswered.isEmpty, "\(name): no golden intent's view model answers \(unanswered.sorted())")
        }
    }
}
