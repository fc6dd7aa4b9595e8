import FabricTestSupport
import Foundation
import Testing

/// The lock as users meet it: `build` writes it with the tree, `check`
/// never writes, `--locked` refuses a change with a diff, `fabricc lock`
/// edits it.
@Suite struct LockCLITests {
    static let intent = AllocationTests.intent(["web1", "web2"])

    static func read(_ dir: URL, _ name: String) -> String? {
        try? String(contentsOf: dir.appendingPathComponent(name), encoding: .utf8)
    }

    @Test func buildWritesTheLockAndCheckNever() throws {
        try withFiles(["main.fab": Self.intent]) { dir in
            let check = try CLI.run(["check", "main.fab"], in: dir)
            #expect(check.status == 0, "\(check.stderr)")
            #expect(check.stderr.contains("main.fab.lock would change"))
            #expect(Self.read(dir, "main.fab.lock") == nil, "check wrote the lock")

            let locked = try CLI.run(["check", "--locked", "main.fab"], in: dir)
            #expect(locked.status == 2)
            #expect(locked.stdout.contains("+vm web1 ip 203.0.113.10 pool public"), "\(locked.stdout)")

            let lockedBuild = try CLI.run(["build", "--locked", "main.fab", "-o", "out"], in: dir)
            #expect(lockedBuild.status == 2)
            #expect(!FileManager.default.fileExists(atPath: dir.appendingPathComponent("out").path))
            #expect(Self.read(dir, "main.fab.lock") == nil)

            let build = try CLI.run(["build", "main.fab", "-o", "out"], in: dir)
            #expect(build.status == 0, "\(build.stderr)")
            let lock = try #require(Self.read(dir, "main.fab.lock"))
            #expect(lock.contains("vm web2 ip 203.0.113.11 pool public\n"))
            #expect(try CLI.run(["check", "--locked", "main.fab"], in: dir).status == 0)
            #expect(try CLI.run(["build", "--check", "main.fab", "-o", "out"], in: dir).status == 0)

            // A third VM: --check names the lock among what would change.
            try AllocationTests.intent(["web1", "web3", "web2"]).write(
                to: dir.appendingPathComponent("main.fab"), atomically: true, encoding: .utf8)
            let stale = try CLI.run(["build", "--check", "--diff", "main.fab", "-o", "out"], in: dir)
            #expect(stale.status == 2)
            #expect(stale.stdout.contains("main.fab.lock: would be changed"), "\(stale.stdout)")
            #expect(stale.stdout.contains("+vm web3 ip 203.0.113.12 pool public"), "\(stale.stdout)")
        }
    }

    @Test func aFailedBuildChangesNeitherTreeNorLock() throws {
        try withFiles(["main.fab": Self.intent]) { dir in
            #expect(try CLI.run(["build", "main.fab", "-o", "out"], in: dir).status == 0)
            let lock = Self.read(dir, "main.fab.lock")
            let tree = try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out/ovs").path)
            // web3 joins, and a typo elsewhere fails the build.
            let broken = AllocationTests.intent(["web1", "web2", "web3"]).replacingOccurrences(
                of: "asn 65000", with: "asn 65000x")
            try broken.write(to: dir.appendingPathComponent("main.fab"), atomically: true, encoding: .utf8)
            #expect(try CLI.run(["build", "main.fab", "-o", "out"], in: dir).status == 1)
            #expect(Self.read(dir, "main.fab.lock") == lock)
            #expect(
                try FileManager.default.contentsOfDirectory(atPath: dir.appendingPathComponent("out/ovs").path) == tree)
        }
    }

    @Test func reallocateResolvesAMergedDuplicate() throws {
        let lock = """
            vm web1 ip 203.0.113.10 pool public
            vm web2 ip 203.0.113.10 pool public

            """
        try withFiles(["main.fab": Self.intent, "main.fab.lock": lock]) { dir in
            let check = try CLI.run(["check", "main.fab"], in: dir)
            #expect(check.status == 1)
            #expect(check.stderr.contains("error[FAB4019]"), "\(check.stderr)")
            #expect(check.stderr.contains("fabricc lock reallocate main.fab web2"), "\(check.stderr)")
            let edit = try CLI.run(["lock", "reallocate", "main.fab", "web2"], in: dir)
            #expect(edit.status == 0, "\(edit.stderr)")
            #expect(try CLI.run(["build", "main.fab", "-o", "out"], in: dir).status == 0)
            let after = try #require(Self.read(dir, "main.fab.lock"))
            #expect(after.contains("vm web1 ip 203.0.113.10 pool public\n"))
            #expect(after.contains("vm web2 ip 203.0.113.11 pool public\n"), "\(after)")
            let unknown = try CLI.run(["lock", "reallocate", "main.fab", "nobody"], in: dir)
            #expect(unknown.status == 1 && unknown.stderr.contains("allocates nothing to `nobody`"))
        }
    }

    @Test func releaseFreesQuarantine() throws {
        try withFiles(["main.fab": Self.intent]) { dir in
            #expect(try CLI.run(["build", "main.fab", "-o", "out"], in: dir).status == 0)
            try AllocationTests.intent(["web2", "web3"]).write(
                to: dir.appendingPathComponent("main.fab"), atomically: true, encoding: .utf8)
            #expect(try CLI.run(["build", "main.fab", "-o", "out"], in: dir).status == 0)
            let quarantined = try #require(Self.read(dir, "main.fab.lock"))
            #expect(quarantined.contains("quarantine ip 203.0.113.10 pool public was vm web1\n"), "\(quarantined)")
            #expect(quarantined.contains("vm web3 ip 203.0.113.12 pool public\n"), "\(quarantined)")
            let release = try CLI.run(["lock", "release", "main.fab", "203.0.113.10"], in: dir)
            #expect(release.status == 0, "\(release.stderr)")
            let released = try #require(Self.read(dir, "main.fab.lock"))
            #expect(!released.contains("quarantine ip 203.0.113.10"))
            #expect(released.contains("quarantine mac"), "only the address was released")
            // The next VM may take the freed address.
            try AllocationTests.intent(["web2", "web3", "web4"]).write(
                to: dir.appendingPathComponent("main.fab"), atomically: true, encoding: .utf8)
            #expect(try CLI.run(["build", "main.fab", "-o", "out"], in: dir).status == 0)
            #expect(Self.read(dir, "main.fab.lock")?.contains("vm web4 ip 203.0.113.10 pool public\n") == true)
            #expect(try CLI.run(["lock", "release", "main.fab", "--all"], in: dir).status == 0)
            #expect(try CLI.run(["lock", "release", "main.fab", "--all"], in: dir).status == 1)
        }
    }

    @Test func explainDescribesAllocation() throws {
        for topic in ["allocation", "lock", "quarantine", "locked"] {
            let r = try CLI.run(["explain", topic])
            #expect(r.status == 0)
            #expect(r.stdout.contains("--locked") && r.stdout.contains("fabricc lock release"), "\(r.stdout)")
        }
        #expect(try CLI.run(["explain", "all"]).stdout.contains("allocation  topic"))
    }

    @Test func dumpIRShowsWhereEachAddressCameFrom() throws {
        let intent = Self.intent.replacingOccurrences(
            of: "    vm web2 {\n        pool public\n",
            with: "    vm web2 {\n        pool public\n        ip 203.0.113.50\n        mac 52:54:00:00:00:02\n")
        try withFiles(["main.fab": intent]) { dir in
            let r = try CLI.run(["dump-ir", "main.fab"], in: dir)
            #expect(r.status == 0, "\(r.stderr)")
            let ir = try #require(try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any])
            let vms = try #require((ir["hosts"] as? [[String: Any]])?.first?["vms"] as? [[String: Any]])
            let byName = Dictionary(uniqueKeysWithValues: vms.map { ($0["name"] as! String, $0) })
            #expect(byName["web1"]?["ip"] as? String == "203.0.113.10")
            #expect(byName["web1"]?["ipOrigin"] as? String == "allocated")
            #expect(byName["web1"]?["macOrigin"] as? String == "allocated")
            #expect(byName["web2"]?["ipOrigin"] as? String == "declared")
            #expect(byName["web2"]?["macOrigin"] as? String == "declared")
            #expect(Self.read(dir, "main.fab.lock") == nil, "dump-ir wrote the lock")
        }
    }
}
