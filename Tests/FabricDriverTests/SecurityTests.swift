import FabricSema
import FabricSyntax
import Foundation
import Testing

@testable import FabricDriver

#if canImport(Glibc)
    import FabricTestSupport
    import Glibc
#endif

/// fabricc as an attacker meets it in CI: a pull request may change the
/// intent and the committed tree, the environment holds real secrets.
/// Nothing of a secret reaches `out/`, and nothing in `out/` is followed.
@Suite(.serialized) struct SecurityTests {
    static let intent = OutputTreeTests.intent(hosts: 2)
        .replacingOccurrences(
            of: "fabric t { asn 65000 }",
            with: "secret s { env \"FABRICC_SEC_PW\" }\nfabric t { asn 65000; password s }")

    /// A folder beside `dir` (so outside the project), removed afterwards.
    static func sibling(_ dir: URL, _ name: String) -> URL {
        dir.deletingLastPathComponent().appendingPathComponent("\(dir.lastPathComponent)-\(name)")
    }

    static func files(under dir: URL) -> [URL] {
        (FileManager.default.enumerator(at: dir, includingPropertiesForKeys: nil)?.compactMap { $0 as? URL } ?? [])
            .filter { (try? $0.resourceValues(forKeys: [.isRegularFileKey]).isRegularFile) == true }
    }

    static func mode(_ url: URL) -> Int? {
        var st = stat()
        return lstat(url.path, &st) == 0 ? Int(st.st_mode & 0o7777) : nil
    }

    /// Every example, each secret set to a value of its own: not one byte
    /// of any value under `-o`, the manifest included; every value in the
    /// secrets folder, which is private.
    @Test func noSecretValueReachesTheOutputTree() throws {
        let examples = PackageRoot.url.appendingPathComponent("examples")
        for name in try FileManager.default.contentsOfDirectory(atPath: examples.path).filter({ $0.hasSuffix(".fab") })
            .sorted()
        {
            let ir = try #require(Driver.check(examples.appendingPathComponent(name).path).ir, "\(name) has errors")
            var environment: [String: String] = [:]
            for secret in ir.secrets {
                guard case .environment(let variable) = secret.source else { continue }
                environment[variable] = "canary-\(UUID().uuidString)"
            }
            let used = Set(ir.sessions.compactMap(\.password))
            try withFiles(["README": "scratch\n"]) { dir in
                let out = dir.appendingPathComponent("out")
                let secrets = Self.sibling(dir, "secrets")
                defer { try? FileManager.default.removeItem(at: secrets) }
                let r = try CLI.run(
                    ["build", examples.appendingPathComponent(name).path, "-o", out.path, "--secrets", secrets.path],
                    in: dir, environment: environment)
                #expect(r.status == 0, "\(name): \(r.stderr)")
                for file in Self.files(under: out) {
                    let data = try Data(contentsOf: file)
                    for value in environment.values {
                        #expect(data.range(of: Data(value.utf8)) == nil, "\(name): \(file.path) holds a secret value")
                    }
                }
                for value in environment.values { #expect(!r.stdout.contains(value) && !r.stderr.contains(value)) }
                guard !used.isEmpty else { return }
                let written = Self.files(under: secrets).map { (try? String(contentsOf: $0, encoding: .utf8)) ?? "" }
                    .joined()
                for secret in ir.secrets where used.contains(secret.name) {
                    if case .environment(let variable) = secret.source {
                        #expect(written.contains(environment[variable]!), "\(name): \(secret.name)")
                    }
                }
                #expect(Self.mode(secrets) == 0o700)
                for file in Self.files(under: secrets) { #expect(Self.mode(file) == 0o600, "\(file.path)") }
                // Another value changes nothing committed: no drift, no diff.
                var rotated = environment
                for key in rotated.keys { rotated[key] = "rotated-\(UUID().uuidString)" }
                let check = try CLI.run(
                    ["build", examples.appendingPathComponent(name).path, "-o", out.path, "--check", "--diff"], in: dir,
                    environment: rotated)
                #expect(check.status == 0, "\(name): \(check.stderr)")
            }
        }
    }

    /// A tree an earlier fabricc committed held the passwords: the first
    /// `--check --diff` after the upgrade shows them removed, masked.
    @Test func aLegacyTreesPasswordsAreMaskedInTheDiff() throws {
        try withFiles(["dc.fab": Self.intent]) { dir in
            #expect(try CLI.run(["build", "dc.fab", "-o", "out"], in: dir).status == 0)
            let conf = dir.appendingPathComponent("out/bird/kvm1.conf")
            let text = try String(contentsOf: conf, encoding: .utf8)
            try text.replacingOccurrences(of: "password secret_s;", with: "password \"legacy-hunter2\";").write(
                to: conf, atomically: true, encoding: .utf8)
            let r = try CLI.run(["build", "dc.fab", "-o", "out", "--check", "--diff"], in: dir)
            #expect(r.status == 2, "\(r.stderr)")
            #expect(r.stdout.contains("-    password \"<redacted by fabricc>\";"), "\(r.stdout)")
            #expect(!r.stdout.contains("hunter2") && !r.stderr.contains("hunter2"))
        }
        #expect(
            LegacySecretRedaction.masked(
                "authentication-key \"a\\\"b\";\n<authentication-key>x&amp;y</authentication-key>\n")
                == "authentication-key \"<redacted by fabricc>\";\n<authentication-key><redacted by fabricc></authentication-key>\n"
        )
    }

    @Test func theSecretsFolderStaysOutOfTheCommittedTree() throws {
        try withFiles(["dc.fab": Self.intent]) { dir in
            for inside in ["out/secrets", "secrets", "."] {
                let r = try CLI.run(
                    ["build", "dc.fab", "-o", "out", "--secrets", inside], in: dir,
                    environment: ["FABRICC_SEC_PW": "pw"])
                #expect(r.status == 1 && r.stderr.contains("error[FAB8003]"), "\(inside): \(r.stderr)")
            }
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
            let usage = try CLI.run(["build", "dc.fab", "-o", "out", "--check", "--secrets", "/tmp/x"], in: dir)
            #expect(usage.status == 64)
            // A symlink as the folder is refused, not followed.
            let secrets = Self.sibling(dir, "secrets")
            let elsewhere = Self.sibling(dir, "elsewhere")
            defer {
                try? FileManager.default.removeItem(at: secrets)
                try? FileManager.default.removeItem(at: elsewhere)
            }
            try FileManager.default.createDirectory(at: elsewhere, withIntermediateDirectories: true)
            try FileManager.default.createSymbolicLink(at: secrets, withDestinationURL: elsewhere)
            let link = try CLI.run(
                ["build", "dc.fab", "-o", "out", "--secrets", secrets.path], in: dir,
                environment: ["FABRICC_SEC_PW": "pw"])
            #expect(link.status == 1 && link.stderr.contains("error[FAB8003]"), "\(link.stderr)")
            #expect(try FileManager.default.contentsOfDirectory(atPath: elsewhere.path).isEmpty)
            // A device that leaves the intent leaves no password behind.
            try FileManager.default.removeItem(at: secrets)
            #expect(
                try CLI.run(
                    ["build", "dc.fab", "-o", "out", "--secrets", secrets.path], in: dir,
                    environment: ["FABRICC_SEC_PW": "pw"]
                ).status == 0)
            #expect(
                FileManager.default.fileExists(atPath: secrets.appendingPathComponent("bird/kvm2.secrets.conf").path))
            try OutputTreeTests.intent(hosts: 1).replacingOccurrences(
                of: "fabric t { asn 65000 }",
                with: "secret s { env \"FABRICC_SEC_PW\" }\nfabric t { asn 65000; password s }"
            )
            .write(to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            #expect(
                try CLI.run(
                    ["build", "dc.fab", "-o", "out", "--secrets", secrets.path], in: dir,
                    environment: ["FABRICC_SEC_PW": "pw"]
                ).status == 0)
            #expect(
                !FileManager.default.fileExists(atPath: secrets.appendingPathComponent("bird/kvm2.secrets.conf").path))
            #expect(
                FileManager.default.fileExists(atPath: secrets.appendingPathComponent("bird/kvm1.secrets.conf").path))
        }
    }

    /// What a pull request can commit in place of a generated file: each is
    /// refused with FAB8001 under `--check`, `--check --diff` and a build,
    /// and not one byte of what it points at is printed.
    @Test func entriesThatAreNotFilesAreNeverRead() throws {
        let canary = "ENVIRONMENT-CANARY-\(UUID().uuidString)"
        let kinds: [(String, (URL) -> Bool)] = [
            (
                "symlink",
                { url in
                    (try? FileManager.default.createSymbolicLink(atPath: url.path, withDestinationPath: "../../leak"))
                        != nil
                }
            ),
            ("fifo", { url in mkfifo(url.path, 0o644) == 0 }),
            ("device", { url in mknod(url.path, S_IFCHR | 0o644, dev_t((1 << 8) | 5)) == 0 }),  // /dev/zero's numbers
            (
                "folder",
                { url in (try? FileManager.default.createDirectory(at: url, withIntermediateDirectories: false)) != nil
                }
            ),
        ]
        for (kind, make) in kinds {
            for victim in ["bird/kvm2.conf", "MANIFEST.json"] {
                try withFiles(["dc.fab": OutputTreeTests.intent(hosts: 2), "leak": canary + "\n"]) { dir in
                    #expect(try CLI.run(["build", "dc.fab", "-o", "out"], in: dir).status == 0)
                    let target = dir.appendingPathComponent("out/" + victim)
                    try FileManager.default.removeItem(at: target)
                    guard make(target) else {
                        #expect(getuid() != 0, "cannot make a \(kind) as root")
                        return
                    }
                    let before = try FileManager.default.contentsOfDirectory(
                        atPath: dir.appendingPathComponent("out/bird").path
                    ).sorted()
                    for arguments in [["--check"], ["--check", "--diff"], []] {
                        let r = try CLI.run(["build", "dc.fab", "-o", "out"] + arguments, in: dir)
                        #expect(
                            r.status == 1 && r.stderr.contains("error[FAB8001]"),
                            "\(kind) \(victim) \(arguments): \(r.status) \(r.stderr)")
                        #expect(!r.stdout.contains(canary) && !r.stderr.contains(canary))
                    }
                    #expect(
                        try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out/bird").path)
                            .sorted() == before)
                    // --previous reads the same way (a folder is walked into).
                    guard kind != "folder" else { return }
                    let previous = try CLI.run(["build", "dc.fab", "-o", "other", "--previous", "out"], in: dir)
                    #expect(
                        previous.status == 1 && previous.stderr.contains("error[FAB8001]"),
                        "\(kind) --previous: \(previous.stderr)")
                    #expect(!previous.stdout.contains(canary) && !previous.stderr.contains(canary))
                }
            }
        }
    }

    @Test func aFolderFabriccDidNotWriteIsRefusedUnlessAskedFor() throws {
        try withFiles([
            "dc.fab": OutputTreeTests.intent(hosts: 1), "home/.bashrc": "mine\n", "home/docs/a.txt": "mine\n",
        ]) { dir in
            let r = try CLI.run(["build", "dc.fab", "-o", "home"], in: dir)
            #expect(
                r.status == 1 && r.stderr.contains("error[FAB8002]") && r.stderr.contains("--into-existing"),
                "\(r.stderr)")
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("home").path).sorted()
                    == [".bashrc", "docs"])
            let inode =
                try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("home/docs/a.txt").path)[
                    .systemFileNumber] as? Int
            let into = try CLI.run(["build", "dc.fab", "-o", "home", "--into-existing"], in: dir)
            #expect(into.status == 0, "\(into.stderr)")
            // Written beside the user's files; nothing of theirs was staged or touched.
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("home/bird/kvm1.conf").path))
            #expect(
                try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("home/docs/a.txt").path)[
                    .systemFileNumber] as? Int == inode)
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.contains("fabricc-") })
            // Now it holds fabricc's manifest: later builds need no flag.
            try OutputTreeTests.intent(hosts: 2).write(
                to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            #expect(try CLI.run(["build", "dc.fab", "-o", "home"], in: dir).status == 0)
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("home/bird/kvm2.conf").path))
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("home/.bashrc").path))
        }
    }

    /// One rule for folders: 0777 less the umask, the output folder too.
    @Test func everyFolderFabriccCreatesHasOneMode() throws {
        try withFiles(["dc.fab": OutputTreeTests.intent(hosts: 1)]) { dir in
            let r = try CLI.run(["build", "dc.fab", "-o", "out"], in: dir)
            #expect(r.status == 0)
            let mask = umask(0o022)
            umask(mask)
            for folder in ["out", "out/bird"] {
                #expect(Self.mode(dir.appendingPathComponent(folder)) == Int(0o777 & ~mask), "\(folder)")
            }
        }
    }

    /// Needs root and tmpfs: a small file system as `-o` itself, filled up.
    @Test(.enabled(if: getuid() == 0, "mounting needs root"))
    func aFullDiskLeavesTheOldTreeWholeAndConsistent() throws {
        try withFiles(["dc.fab": OutputTreeTests.intent(hosts: 2)]) { dir in
            let out = dir.appendingPathComponent("out")
            try FileManager.default.createDirectory(at: out, withIntermediateDirectories: true)
            // Room for the two-host build (the docs backend's pages included), not for 300 hosts.
            guard Self.mount(out, size: "160k") else {
                Issue.record("cannot mount a tmpfs")
                return
            }
            defer { Self.unmount(out) }
            let first = try CLI.run(["build", "dc.fab", "-o", "out"], in: dir)
            #expect(first.status == 0, "\(first.stderr)")
            let before = OutputTreeTests.tree(out)
            // Hundreds of hosts cannot fit in 160 KiB.
            try OutputTreeTests.intent(hosts: 300).write(
                to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            let full = try CLI.run(["build", "dc.fab", "-o", "out"], in: dir)
            #expect(full.status == 1, "\(full.stderr)")
            #expect(OutputTreeTests.tree(out) == before, "the old tree changed")
            let manifest = try #require(
                Manifest.parse(try Data(contentsOf: out.appendingPathComponent("MANIFEST.json"))))
            for output in manifest.outputs { #expect(before[output.path] == output.sha256, "\(output.path)") }
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: out.path).allSatisfy { !$0.contains("fabricc-") })
        }
    }

    /// A mount inside the output folder is neither copied nor moved.
    @Test(.enabled(if: getuid() == 0, "mounting needs root"))
    func aMountInsideTheOutputFolderStaysWhereItIs() throws {
        try withFiles(["dc.fab": OutputTreeTests.intent(hosts: 1)]) { dir in
            #expect(try CLI.run(["build", "dc.fab", "-o", "out"], in: dir).status == 0)
            let volume = dir.appendingPathComponent("out/volume")
            try FileManager.default.createDirectory(at: volume, withIntermediateDirectories: true)
            guard Self.mount(volume, size: "1m") else {
                Issue.record("cannot mount a tmpfs")
                return
            }
            defer { Self.unmount(volume) }
            try "data\n".write(to: volume.appendingPathComponent("file"), atomically: true, encoding: .utf8)
            try OutputTreeTests.intent(hosts: 2).write(
                to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            let r = try CLI.run(["build", "dc.fab", "-o", "out"], in: dir)
            #expect(r.status == 0 && r.stderr.contains("mount point"), "\(r.stderr)")
            #expect(FileManager.default.fileExists(atPath: dir.appendingPathComponent("out/bird/kvm2.conf").path))
            #expect(
                OutputWriter.mountPoints(under: dir.appendingPathComponent("out").resolvingSymlinksInPath().path).count
                    == 1)
            #expect(FileManager.default.fileExists(atPath: volume.appendingPathComponent("file").path))
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: dir.path).allSatisfy { !$0.contains("fabricc-") })
        }
    }

    static func mount(_ at: URL, size: String) -> Bool {
        (try? ToolRun.run("/bin/mount", ["-t", "tmpfs", "-o", "size=\(size)", "tmpfs", at.path])) == 0
    }

    static func unmount(_ at: URL) { _ = try? ToolRun.run("/bin/umount", [at.path]) }
}

/// A command's exit status, its output discarded.
enum ToolRun {
    static func run(_ executable: String, _ arguments: [String]) throws -> Int32 {
        let process = Process()
        process.executableURL = URL(fileURLWithPath: executable)
        process.arguments = arguments
        process.standardOutput = FileHandle.nullDevice
        process.standardError = FileHandle.nullDevice
        try process.run()
        process.waitUntilExit()
        return process.terminationStatus
    }
}

/// Inputs that used to get a misleading answer (issue 18, item 6).
@Suite struct InputMessageTests {
    @Test func eachBadInputSaysWhatItIs() throws {
        let nested =
            String(repeating: "for i in 1..1 {\n", count: 129) + "vlan v { id 5 }\n"
            + String(repeating: "}\n", count: 129)
        try withFiles([
            "dc.fab": "fabric t { asn 65000 }\n", "nul.fab": "include \"a\\u{0}b.fab\"\n", "a": "fabric x { asn 1 }\n",
            "deep.fab": nested,
        ]) { dir in
            let root = try CLI.run(["check", "dc.fab", "--root", "/nonexistent"], in: dir)
            #expect(
                root.status == 64 && root.stderr.contains("--root /nonexistent: no such directory"), "\(root.stderr)")
            let outside = try CLI.run(["build", "dc.fab", "--root", dir.appendingPathComponent("sub").path], in: dir)
            #expect(outside.status == 64, "\(outside.stderr)")
            try FileManager.default.createDirectory(
                at: dir.appendingPathComponent("sub"), withIntermediateDirectories: true)
            let notInside = try CLI.run(["build", "dc.fab", "--root", "sub"], in: dir)
            #expect(
                notInside.status == 64 && notInside.stderr.contains("outside the project root"), "\(notInside.stderr)")
            let limit = try CLI.run(["check", "dc.fab", "--error-limit", "-1"], in: dir)
            #expect(limit.status == 64 && limit.stderr.contains("--error-limit must be 0 or more"), "\(limit.stderr)")
            let nul = try CLI.run(["check", "nul.fab", "--diagnostic-format", "short"], in: dir)
            #expect(nul.status == 1 && nul.stderr.contains("cannot hold a NUL character"), "\(nul.stderr)")
            let deep = try CLI.run(["check", "deep.fab", "--diagnostic-format", "short"], in: dir)
            #expect(deep.status == 1 && deep.stderr.contains("blocks are nested too deeply"), "\(deep.stderr)")
            #expect(!deep.stderr.contains("expected `)`") && !deep.stderr.contains("expression"), "\(deep.stderr)")
            try FileManager.default.createSymbolicLink(
                atPath: dir.appendingPathComponent("loop.fab").path, withDestinationPath: "loop.fab")
            #expect(mkfifo(dir.appendingPathComponent("fifo.fab").path, 0o644) == 0)
            let odd = try CLI.run(["check", "loop.fab", "fifo.fab", "--diagnostic-format", "short"], in: dir)
            #expect(
                odd.stderr.contains("loop.fab: a loop of symbolic links")
                    || odd.stderr.contains("`loop.fab`: a loop of symbolic links"), "\(odd.stderr)")
            #expect(odd.stderr.contains("is a FIFO, not a file"), "\(odd.stderr)")
        }
    }
}
