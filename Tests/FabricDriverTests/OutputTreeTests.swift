import Foundation
import Testing

@testable import FabricDriver

/// The output tree as CI pipelines use it: all-or-nothing builds, the
/// manifest, stale files removed and foreign ones kept, `--check`.
@Suite(.serialized) struct OutputTreeTests {
    /// The backends these tests run, pinned: a new backend does not change
    /// what they count and compare.
    static let backends = ["bird", "junos", "esxi", "antrea", "ovs"].flatMap { ["--backend", $0] }

    /// `hosts` hypervisors, two VMs each, in pool `prefix` (a /16): every
    /// generated file depends on the prefix.
    static func intent(hosts: Int, prefix: String = "10.200.0.0/16") -> String {
        let base = prefix.split(separator: "/")[0].split(separator: ".").prefix(2).joined(separator: ".")
        return """
            fabric t { asn 65000 }
            pool p { prefix \(prefix) }
            reflector rr1 { address 10.0.0.1 }
            reflector rr2 { address 10.0.0.2 }
            for i in 1..\(hosts) {
                host "kvm${i}" {
                    platform kvm; address 10.1.0.0 + i; reflectors rr1, rr2
                    vm "a${i}" { ip \(base).0.0 + 2 * i }
                    vm "b${i}" { ip \(base).0.1 + 2 * i }
                }
            }

            """
    }

    /// Every file under `dir` (relative path → SHA-256), the manifest included.
    static func tree(_ dir: URL) -> [String: String] {
        guard let walker = FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil) else { return [:] }
        var out: [String: String] = [:]
        for case let url as URL in walker {
            var isDir: ObjCBool = false
            if FileManager.default.fileExists(atPath: url.path, isDirectory: &isDir), !isDir.boolValue {
                out[String(url.standardizedFileURL.path.dropFirst(dir.standardizedFileURL.path.count + 1))] =
                    Manifest.sha256(FileManager.default.contents(atPath: url.path) ?? Data())
            }
        }
        return out
    }

    static func mtimes(_ dir: URL) -> [String: Date] {
        var out: [String: Date] = [:]
        for path in tree(dir).keys {
            out[path] =
                try? FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent(path).path)[
                    .modificationDate] as? Date
        }
        return out
    }

    static func staging(_ dir: URL) -> Bool {
        ((try? FileManager.default.contentsOfDirectory(atPath: dir.path)) ?? []).contains {
            $0.hasPrefix(".out.fabricc-stage-")
        }
    }

    @Test func dangerousOutputDirectoriesAreRefused() throws {
        try withFiles(["dc.fab": Self.intent(hosts: 1)]) { dir in
            for output in [".", "..", "/"] {
                let before = try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted()
                let r = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", output], in: dir)
                #expect(r.status == 1 && r.stderr.contains("holds the working directory"), "\(output): \(r.stderr)")
                #expect(try FileManager.default.contentsOfDirectory(atPath: dir.path).sorted() == before)
            }
        }
    }

    @Test func nothingIsWrittenThroughASymlinkedFolder() throws {
        try withFiles(["dc.fab": Self.intent(hosts: 1), "elsewhere/bird/keep.conf": "mine\n"]) { dir in
            let out = dir.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(
                atPath: out.appendingPathComponent("bird").path, withDestinationPath: "../elsewhere/bird")
            // Not fabricc's folder (no manifest) unless the user says so.
            let refused = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out"], in: dir)
            #expect(refused.status == 1 && refused.stderr.contains("error[FAB8002]"), "\(refused.stderr)")
            let r = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out", "--into-existing"], in: dir)
            #expect(
                r.status == 1 && r.stderr.contains("error[FAB8001]") && r.stderr.contains("not a real folder"),
                "\(r.stderr)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("elsewhere/bird").path)
                    == ["keep.conf"])
        }
    }

    @Test func aManifestFabriccDidNotWriteRemovesNothing() throws {
        try withFiles(["dc.fab": Self.intent(hosts: 2)]) { dir in
            #expect(try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out"], in: dir).status == 0)
            let out = dir.appendingPathComponent("out")
            try FileManager.default.createDirectory(
                at: out.appendingPathComponent("notes"), withIntermediateDirectories: true)
            try "mine\n".write(to: out.appendingPathComponent("notes/README"), atomically: true, encoding: .utf8)
            // A hand edit claims a foreign file for a backend.
            let manifest = out.appendingPathComponent("MANIFEST.json")
            let text = try String(contentsOf: manifest, encoding: .utf8)
                .replacingOccurrences(
                    of: "\"outputs\": [",
                    with:
                        "\"outputs\": [\n    { \"path\": \"notes/README\", \"backend\": \"bird\", \"sha256\": \"0\" },")
            try text.write(to: manifest, atomically: true, encoding: .utf8)
            try Self.intent(hosts: 1).write(to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            let r = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out"], in: dir)
            #expect(r.status == 0 && r.stderr.contains("is not one fabricc wrote"), "\(r.stderr)")
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("notes/README").path))
            // Read-only folders and their files stay as they were.
            try FileManager.default.createDirectory(
                at: out.appendingPathComponent("ro"), withIntermediateDirectories: true)
            try "mine\n".write(to: out.appendingPathComponent("ro/file"), atomically: true, encoding: .utf8)
            try FileManager.default.setAttributes(
                [.posixPermissions: 0o555], ofItemAtPath: out.appendingPathComponent("ro").path)
            defer {
                try? FileManager.default.setAttributes(
                    [.posixPermissions: 0o755], ofItemAtPath: out.appendingPathComponent("ro").path)
            }
            try Self.intent(hosts: 2).write(to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            let again = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out"], in: dir)
            #expect(again.status == 0, "\(again.stderr)")
            #expect(
                try FileManager.default.attributesOfItem(atPath: out.appendingPathComponent("ro").path)[
                    .posixPermissions] as? Int == 0o555)
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("ro/file").path))
        }
    }

    /// What appears in the old tree while the new one is staged (an editor
    /// saving, another tool writing) moves into the new tree; fabricc's own
    /// files do not.
    @Test func filesAddedDuringABuildAreKept() throws {
        try withFiles([
            "old/notes/new.txt": "written during the build\n", "old/notes/edited.txt": "saved again\n",
            "old/bird/kvm9.conf": "stale\n", "new/notes/edited.txt": "carried over\n", "new/bird/kvm1.conf": "fresh\n",
        ]) { dir in
            let old = dir.appendingPathComponent("old").path
            let new = dir.appendingPathComponent("new").path
            OutputWriter.reconcile(old: old, new: new, managed: ["bird/kvm1.conf", "bird/kvm9.conf"], relative: "")
            #expect(
                (try? String(contentsOfFile: new + "/notes/new.txt", encoding: .utf8)) == "written during the build\n")
            #expect((try? String(contentsOfFile: new + "/notes/edited.txt", encoding: .utf8)) == "saved again\n")
            #expect(!FileManager.default.fileExists(atPath: new + "/bird/kvm9.conf"))
            #expect((try? String(contentsOfFile: new + "/bird/kvm1.conf", encoding: .utf8)) == "fresh\n")
        }
    }

    @Test func theManifestListsInputsAndOutputsWithTheirHashes() throws {
        let top =
            "include \"hosts.fab\"\nfabric t { asn 65000 }\npool p { prefix 10.200.0.0/16 }\nreflector rr1 { address 10.0.0.1 }\nreflector rr2 { address 10.0.0.2 }\n"
        try withFiles([
            "dc.fab": top,
            "hosts.fab": "host kvm1 { platform kvm; address 10.1.0.1; reflectors rr1, rr2; vm a { ip 10.200.0.9 } }\n",
        ]) { dir in
            let r = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out"], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            let out = dir.appendingPathComponent("out")
            let data = try Data(contentsOf: out.appendingPathComponent("MANIFEST.json"))
            let manifest = try #require(Manifest.parse(data))
            #expect(manifest.compiler == FabricVersion.current)
            #expect(manifest.inputs.map(\.path) == ["dc.fab", "hosts.fab"])
            #expect(
                manifest.inputs[1].sha256
                    == Manifest.sha256(try Data(contentsOf: dir.appendingPathComponent("hosts.fab"))))
            #expect(manifest.outputs.map(\.path) == ["bird/kvm1.conf", "bird/rr1.conf", "bird/rr2.conf"])
            for output in manifest.outputs {
                #expect(output.backend == "bird")
                #expect(output.sha256 == Manifest.sha256(try Data(contentsOf: out.appendingPathComponent(output.path))))
            }
            // Known answer: SHA-256 of "abc".
            #expect(
                Manifest.sha256(Data("abc".utf8)) == "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad")
            // Same input, same bytes, from another working directory.
            let again = try CLI.run(
                ["build"] + Self.backends + ["\(dir.lastPathComponent)/dc.fab", "-o", "\(dir.lastPathComponent)/out2"],
                in: dir.deletingLastPathComponent())
            #expect(again.status == 0)
            #expect(Self.tree(dir.appendingPathComponent("out2")) == Self.tree(out))
        }
    }

    /// Plain paths skip JSONSerialization; every character still comes out
    /// as JSONSerialization writes it.
    @Test func manifestStringsAreWhatJSONSerializationWrites() throws {
        let printable = String(String.UnicodeScalarView((0x20...0x7E).compactMap(Unicode.Scalar.init)))
        let paths = ["bird/kvm1.conf", printable, "a\"b", "back\\slash", "tab\there", "über/ü.conf", "\u{1}", ""]
        for path in paths {
            let manifest = Manifest(
                compiler: "0", inputs: [], outputs: [Manifest.Output(path: path, backend: "bird", sha256: "00")])
            let expected = try JSONSerialization.data(
                withJSONObject: path, options: [.fragmentsAllowed, .withoutEscapingSlashes])
            #expect(
                manifest.json.contains("{ \"path\": \(String(decoding: expected, as: UTF8.self)), \"backend\""),
                "\(path.debugDescription)")
        }
    }

    @Test func anErrorLeavesThePreviousTreeUntouched() throws {
        try withFiles(["dc.fab": Self.intent(hosts: 3)]) { dir in
            let secrets = dir.deletingLastPathComponent().appendingPathComponent("\(dir.lastPathComponent)-secrets")
                .path
            defer { try? FileManager.default.removeItem(atPath: secrets) }
            #expect(
                try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out", "--secrets", secrets], in: dir).status
                    == 0)
            let out = dir.appendingPathComponent("out")
            let before = Self.tree(out)
            let times = Self.mtimes(out)
            // An error in the intent, then one only a backend finds (a secret
            // that is not set): neither writes anything.
            for broken in [
                Self.intent(hosts: 3) + "pool q { prefix 10.200.0.0/24 }\n",
                Self.intent(hosts: 3).replacingOccurrences(
                    of: "fabric t { asn 65000 }",
                    with: "secret s { env \"FABRICC_UNSET_\(getpid())\" }\nfabric t { asn 65000; password s }"),
            ] {
                try broken.write(to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
                let r = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out", "--secrets", secrets], in: dir)
                #expect(r.status == 1, "\(r.stderr)")
                #expect(Self.tree(out) == before)
                #expect(Self.mtimes(out) == times)
            }
        }
    }

    @Test func staleFilesGoForeignFilesStayUnchangedFilesKeepTheirTime() throws {
        try withFiles(["dc.fab": Self.intent(hosts: 3)]) { dir in
            #expect(try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out"], in: dir).status == 0)
            let out = dir.appendingPathComponent("out")
            // Files fabricc did not write, beside and among its own.
            try FileManager.default.createDirectory(
                at: out.appendingPathComponent("notes/empty"), withIntermediateDirectories: true)
            try "mine\n".write(to: out.appendingPathComponent("notes/README"), atomically: true, encoding: .utf8)
            try "mine\n".write(to: out.appendingPathComponent("bird/local.conf"), atomically: true, encoding: .utf8)
            let rr1 = out.appendingPathComponent("bird/rr1.conf").path
            let inode = try FileManager.default.attributesOfItem(atPath: rr1)[.systemFileNumber] as? Int
            let kvm1Time = Self.mtimes(out)["bird/kvm1.conf"]
            Thread.sleep(forTimeInterval: 0.05)

            // kvm3 leaves the intent: its config goes, the reflectors change.
            try Self.intent(hosts: 2).write(to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            let r = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out"], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            let tree = Self.tree(out)
            #expect(tree["bird/kvm3.conf"] == nil)
            #expect(tree["bird/local.conf"] != nil && tree["notes/README"] != nil)
            #expect(FileManager.default.fileExists(atPath: out.appendingPathComponent("notes/empty").path))
            #expect(Self.mtimes(out)["bird/kvm1.conf"] == kvm1Time, "an unchanged file was rewritten")
            #expect(
                try FileManager.default.attributesOfItem(atPath: rr1)[.systemFileNumber] as? Int != inode,
                "rr1 changed, so it is a new file")

            // A build of one backend keeps the others' files as fabricc's.
            let esxi =
                "host esx1 { platform esxi; address 10.9.0.1; vswitch vSwitch1 { uplinks vmnic1; portgroup pg { vlan 10 } } }\n"
            try (Self.intent(hosts: 2) + esxi).write(
                to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            #expect(try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out"], in: dir).status == 0)
            try Self.intent(hosts: 1).write(to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            #expect(try CLI.run(["build", "dc.fab", "-o", "out", "--backend", "bird"], in: dir).status == 0)
            let partial = Self.tree(out)
            #expect(partial["esxi/esx1.sh"] != nil, "a backend that did not run lost its files")
            #expect(partial["bird/kvm2.conf"] == nil)
            let manifest = try #require(
                Manifest.parse(try Data(contentsOf: out.appendingPathComponent("MANIFEST.json"))))
            #expect(
                manifest.outputs.map(\.path) == ["bird/kvm1.conf", "bird/rr1.conf", "bird/rr2.conf", "esxi/esx1.sh"])
            // And a full build drops them once the intent does.
            #expect(try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out"], in: dir).status == 0)
            #expect(Self.tree(out)["esxi/esx1.sh"] == nil)
            #expect(
                !FileManager.default.fileExists(atPath: out.appendingPathComponent("esxi").path),
                "an emptied backend folder stays")
            // Nothing of the build is left beside the tree.
            let siblings = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
                $0.contains("fabricc-")
            }
            #expect(siblings.isEmpty, "\(siblings)")
        }
    }

    @Test func checkSaysWhetherTheTreeIsCurrent() throws {
        try withFiles(["dc.fab": Self.intent(hosts: 2)]) { dir in
            let fresh = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out", "--check"], in: dir)
            #expect(fresh.status == 2, "\(fresh.stderr)")
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path), "--check wrote")
            #expect(try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out"], in: dir).status == 0)
            let out = dir.appendingPathComponent("out")
            let current = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out", "--check"], in: dir)
            #expect(
                current.status == 0 && current.stdout.isEmpty && current.stderr.contains("out/ is current"),
                "\(current)")

            let before = Self.tree(out)
            try Self.intent(hosts: 1).write(to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            let stale = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out", "--check", "--diff"], in: dir)
            #expect(stale.status == 2)
            #expect(stale.stdout.contains("out/bird/kvm2.conf: would be removed"), "\(stale.stdout)")
            #expect(stale.stdout.contains("out/bird/rr1.conf: would be changed"))
            #expect(stale.stdout.contains("--- out/bird/rr1.conf\n+++ out/bird/rr1.conf (new)\n@@ "))
            #expect(stale.stdout.contains("\n-protocol bgp client_kvm2 {"), "\(stale.stdout)")
            #expect(Self.tree(out) == before, "--check wrote")

            // A hand edit is drift too.
            try Self.intent(hosts: 2).write(to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            try "edited\n".write(to: out.appendingPathComponent("bird/kvm1.conf"), atomically: true, encoding: .utf8)
            let edited = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out", "--check"], in: dir)
            #expect(edited.status == 2 && edited.stdout == "out/bird/kvm1.conf: would be changed\n", "\(edited.stdout)")

            try (Self.intent(hosts: 2) + "host kvm1 { }\n").write(
                to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            let broken = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out", "--check"], in: dir)
            #expect(broken.status == 1 && broken.stderr.contains("error["), "\(broken.stderr)")
            // With SARIF on standard output, the file list goes to standard error.
            try Self.intent(hosts: 1).write(to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            let sarif = try CLI.run(
                ["build"] + Self.backends + ["dc.fab", "-o", "out", "--check", "--diagnostic-format", "sarif"], in: dir)
            #expect(sarif.status == 2 && sarif.stderr.contains("would be"), "\(sarif.stderr)")
            #expect(
                (try? JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8))) != nil,
                "stdout is not one JSON document: \(sarif.stdout)")
            let usage = try CLI.run(["build"] + Self.backends + ["dc.fab", "-o", "out", "--diff"], in: dir)
            #expect(usage.status == 64, "\(usage.stderr)")
        }
    }

    /// SIGKILL at random moments of a large build never leaves a mixed or
    /// partial tree: it is the old one or the new one, whole.
    @Test(.timeLimit(.minutes(5))) func aKilledBuildLeavesTheOldTreeOrTheNewOne() throws {
        try withFiles(["a.fab": Self.intent(hosts: 300), "b.fab": Self.intent(hosts: 300, prefix: "10.201.0.0/16")]) {
            dir in
            func build(_ file: String) throws {
                #expect(try CLI.run(["build"] + Self.backends + [file, "-o", "out"], in: dir).status == 0)
            }
            let out = dir.appendingPathComponent("out")
            try build("b.fab")
            let b = Self.tree(out)
            try build("a.fab")
            let a = Self.tree(out)
            // 300 hosts, 2 reflectors, the manifest; every file differs.
            #expect(a.count == 303 && b.count == 303 && a.keys.allSatisfy { a[$0] != b[$0] })
            // How long a build takes here, to spread the kills over it.
            let start = Date()
            try build("b.fab")
            let duration = Date().timeIntervalSince(start)
            var outcomes: [String: Int] = [:]
            var generator = SystemRandomNumberGenerator()
            var duringStaging = 0
            for attempt in 0..<20 {
                if Self.tree(out) != a { try build("a.fab") }
                let process = Process()
                process.executableURL = CLI.executable
                process.arguments = ["build"] + Self.backends + ["b.fab", "-o", "out"]
                process.currentDirectoryURL = dir
                process.standardOutput = FileHandle.nullDevice
                process.standardError = FileHandle.nullDevice
                try process.run()
                if attempt % 2 == 0 {
                    Thread.sleep(forTimeInterval: Double.random(in: 0...(duration * 1.1), using: &generator))
                } else {
                    // Into the short staging and swapping window: wait for
                    // the stage to appear, then kill soon after.
                    let deadline = Date().addingTimeInterval(duration * 3)
                    while Date() < deadline, !Self.staging(dir) { usleep(500) }
                    if Self.staging(dir) { duringStaging += 1 }
                    Thread.sleep(forTimeInterval: Double.random(in: 0...0.05, using: &generator))
                }
                kill(process.processIdentifier, SIGKILL)
                process.waitUntilExit()
                let tree = Self.tree(out)
                let outcome = tree == a ? "old" : tree == b ? "new" : "mixed"
                outcomes[outcome, default: 0] += 1
                #expect(
                    outcome != "mixed",
                    "a killed build left \(tree.count) files, \(tree.filter { a[$0.key] != $0.value && b[$0.key] != $0.value }.count) of neither tree"
                )
            }
            #expect(duringStaging >= 5, "only \(duringStaging) kills landed while the new tree was staged")
            // The next build cleans up after the killed ones.
            try build("b.fab")
            #expect(Self.tree(out) == b)
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
                $0.contains("fabricc-")
            }
            #expect(leftovers.isEmpty, "\(leftovers)")
            print("killed builds: \(outcomes) (a build takes \(String(format: "%.2f", duration)) s)")
        }
    }
}
