/// What `fabricc explain TOPIC` prints for the few subjects that are not a
/// diagnostic code. docs/language.md says the same at length.
enum ExplainTopics {
    struct Topic {
        let names: [String]
        let title: String
        let text: String
    }

    static let all = [
        Topic(
            names: ["allocation", "lock", "quarantine", "locked"],
            title: "allocation, the lock, quarantine and --locked",
            text: """
                A VM or pod that names a pool (a pod also through its namespace) and no
                address is given the pool's lowest free address: from its ranges, or its
                prefix less network, broadcast and gateway, never one the intent gives
                anything. A VM without `mac` is given a locally administered MAC from
                0e:fa:b0:00:00:01 up, unique across the fabric.

                The lock. Each allocation is a line of INTENT.fab.lock beside the entry,
                sorted by owner (`vm web1 ip 203.0.113.10 pool public`, `vm web1 mac …`).
                Every build reads it first, so an allocation never moves while its owner
                keeps its name and pool: adding, removing or reordering VMs, or changing
                loops, moves nothing else. Commit it with the intent. `fabricc build`
                writes it after the output tree, only when it changes, atomically; a
                build with errors writes neither. `fabricc check` never writes it.

                Quarantine. The address and MAC of an owner that left (or was renamed,
                declared its own, or moved pools) are handed to no one: they rest in the
                lock as `quarantine …` lines, so a stale ARP entry or DNS record cannot
                reach a new tenant. `fabricc lock release INTENT.fab ADDRESS…|--pool P|--all`
                ends quarantine when nothing can still send traffic there.

                Merges. Two branches that gave one free address to different VMs merge
                cleanly in git and leave two lines: FAB4019 names both VMs and lines, and
                `fabricc lock reallocate INTENT.fab NAME` gives one a fresh allocation at
                the next build. Leftover conflict markers are FAB4018.

                --locked. `fabricc check --locked` and `fabricc build --locked` exit 2,
                with a diff of the lock, when a build would change it (for CI, as
                `cargo --locked`). `build --check` lists the lock among what would change.
                """)
    ]

    static func named(_ name: String) -> Topic? { all.first { $0.names.contains(name.lowercased()) } }
}
