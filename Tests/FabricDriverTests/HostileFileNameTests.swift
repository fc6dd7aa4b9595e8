import FabricTestSupport
import Foundation
import Testing

/// The entry file's name reaches the header of every artifact. A file
/// name is any bytes but `/` and NUL: whatever it holds, every backend's
/// output must read back as the same documents, configs and scripts, judged
/// by the real readers (PyYAML, `bird -p`, xmllint, `sh -n`, shellcheck).
@Suite(.serialized) struct HostileFileNameTests {
    static let names = [
        "evil\nkind: Namespace\nmetadata:\n  name: injected\n#.fab",  // LF: a YAML document of its own
        "cr\rkind: Namespace.fab",
        "nel\u{85}kind: Namespace.fab",  // YAML 1.1 line breaks
        "ls\u{2028}kind: Namespace.fab",
        "ps\u{2029}kind: Namespace.fab",
        "esc\u{1B}[31mred.fab", "del\u{7F}.fab", "bom\u{FEFF}and\u{FFFE}nonchar.fab",
        "x --> <y> & \"q\" '$(reboot)' `id` ; } protocol bgp evil {.fab",
    ]

    /// The dc1 example (every backend writes something) under `name`.
    static func build(as name: String, in dir: URL) throws -> (out: URL, secrets: URL) {
        let examples = PackageRoot.url.appendingPathComponent("examples")
        let project = dir.appendingPathComponent("project")
        try FileManager.default.createDirectory(at: project, withIntermediateDirectories: true)
        if !FileManager.default.fileExists(atPath: project.appendingPathComponent("dc1").path) {
            try FileManager.default.copyItem(
                at: examples.appendingPathComponent("dc1"), to: project.appendingPathComponent("dc1"))
        }
        try FileManager.default.copyItem(
            at: examples.appendingPathComponent("dc1.fab"), to: project.appendingPathComponent(name))
        let label = String(UUID().uuidString.prefix(8))
        let out = dir.appendingPathComponent("out-\(label)")
        let secrets = dir.appendingPathComponent("secrets-\(label)")
        let r = try CLI.run(
            ["build", name, "-o", out.path, "--secrets", secrets.path], in: project, environment: ["BGP_PASSWORD": "pw"]
        )
        #expect(r.status == 0, "\(name.debugDescription): \(r.stderr)")
        return (out, secrets)
    }

    static func files(_ dir: URL) -> [String: String] {
        var out: [String: String] = [:]
        for case let url as URL in FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)
            ?? FileManager.DirectoryEnumerator()
        {
            guard (try? url.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true else { continue }
            out[String(url.standardizedFileURL.path.dropFirst(dir.standardizedFileURL.path.count + 1))] = try? String(
                contentsOf: url, encoding: .utf8)
        }
        return out
    }

    static func lines(_ text: String) -> Int {
        text.utf8.split(separator: UInt8(ascii: "\n"), omittingEmptySubsequences: false).count
    }

    @Test(
        .enabled(
            if: ToolRunner.available("/usr/sbin/bird") && ToolRunner.available("/usr/bin/shellcheck")
                && ToolRunner.available("/usr/bin/xmllint"), "needs bird2, shellcheck and xmllint: run scripts/test"))
    func hostileEntryNamesStayInTheirComments() throws {
        try withFiles(["README": "scratch\n"]) { dir in
            let plain = try Self.build(as: "plain.fab", in: dir)
            let reference = Self.files(plain.out)
            for name in Self.names {
                let built = try Self.build(as: name, in: dir)
                let files = Self.files(built.out)
                #expect(Set(files.keys) == Set(reference.keys), "\(name.debugDescription)")
                for (path, text) in files.sorted(by: { $0.key < $1.key }) where path != "MANIFEST.json" {
                    let file = built.out.appendingPathComponent(path)
                    // The name is one line of comment: no line more or less.
                    #expect(Self.lines(text) == Self.lines(reference[path] ?? ""), "\(name.debugDescription): \(path)")
                    if path.hasSuffix(".yaml") {
                        let count = try ToolRunner.run(
                            "/usr/bin/python3",
                            [
                                "-c",
                                """
                                import sys, yaml
                                print(sum(1 for d in yaml.safe_load_all(open(sys.argv[1], encoding="utf-8")) if d is not None))
                                """, file.path,
                            ])
                        let expected = reference[path].map { $0.components(separatedBy: "\n---").count - 1 } ?? -1
                        #expect(
                            count.ok && count.output.trimmingCharacters(in: .whitespacesAndNewlines) == "\(expected)",
                            "\(name.debugDescription): \(path): \(count.output)")
                    } else if path.hasSuffix(".xml") {
                        let r = try ToolRunner.run("/usr/bin/xmllint", ["--noout", file.path])
                        #expect(r.ok, "\(name.debugDescription): \(path): \(r.output)")
                    } else if path.hasSuffix(".sh") {
                        let syntax = try ToolRunner.run("/bin/sh", ["-n", file.path])
                        let lint = try ToolRunner.run("/usr/bin/shellcheck", [file.path])
                        #expect(
                            syntax.ok && lint.ok, "\(name.debugDescription): \(path): \(syntax.output)\(lint.output)")
                    } else if path.hasPrefix("bird/") {
                        let device = URL(fileURLWithPath: path).deletingPathExtension().lastPathComponent
                        var deployed = ["bird.conf": text]
                        if let secrets = try? String(
                            contentsOf: built.secrets.appendingPathComponent("bird/\(device).secrets.conf"),
                            encoding: .utf8)
                        {
                            deployed["\(device).secrets.conf"] = secrets
                        }
                        try withFiles(deployed) { deploy in
                            let r = try BirdToolTests.parse(deploy.appendingPathComponent("bird.conf"))
                            #expect(r.ok, "\(name.debugDescription): \(path): \(r.output)")
                        }
                    }
                }
                // The manifest names the entry in JSON, which escapes it.
                let manifest =
                    try JSONSerialization.jsonObject(
                        with: Data(contentsOf: built.out.appendingPathComponent("MANIFEST.json"))) as? [String: Any]
                let inputs = (manifest?["inputs"] as? [[String: String]])?.compactMap { $0["path"] } ?? []
                #expect(inputs.contains(name), "\(name.debugDescription): \(inputs)")
            }
        }
    }

    /// A name that is not UTF-8 cannot be read by its true name: refused,
    /// with the bytes shown, before anything runs.
    @Test func aNameThatIsNotUTF8IsRefused() throws {
        try withFiles(["README": "scratch\n"]) { dir in
            let process = Process()
            process.executableURL = CLI.executable
            process.currentDirectoryURL = dir
            // Foundation would repair the bytes; go through the shell's printf.
            process.executableURL = URL(fileURLWithPath: "/bin/sh")
            process.arguments = [
                "-c", "\"$0\" build \"$(printf 'caf\\351.fab')\" -o \"$(printf 'out\\351')\"", CLI.executable.path,
            ]
            let err = Pipe()
            process.standardError = err
            process.standardOutput = Pipe()
            try process.run()
            let text = String(decoding: err.fileHandleForReading.readDataToEndOfFile(), as: UTF8.self)
            process.waitUntilExit()
            #expect(process.terminationStatus == 64)
            #expect(text.contains("argument `caf\\xE9.fab` is not UTF-8"), "\(text)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path) == ["README"])
        }
    }
}
