// Codes of the output tree and the secrets folder (FAB80xx): what fabricc
// finds on disk where it writes, not in the intent, so they carry no source
// line. Never renumber.

extension DiagnosticCode {
    public static let outputEntry = DiagnosticCode(
        "FAB8001", .error, "output entry that is not a regular file",
        """
        A path fabricc writes or reads in its output tree (a generated file, \
        `MANIFEST.json`, a file of `--previous`) is a symlink, a folder, a \
        FIFO, a socket or a device, or lies behind a symlinked folder. A \
        committed tree is input a pull request can change: fabricc never \
        follows such an entry, never reads it and never prints what it \
        points at, so a link to `/proc/self/environ` cannot put the CI \
        job's environment into a diff. Remove the entry (`git rm`) and \
        build again.
        """)
    public static let outputForeign = DiagnosticCode(
        "FAB8002", .error, "output folder fabricc did not write",
        """
        `-o` names a folder that is not empty and holds no `MANIFEST.json`, \
        so fabricc did not write it (a home folder, a source tree). fabricc \
        refuses to fill it: choose a new or empty folder. To add fabricc's \
        files to it all the same, pass `--into-existing`: they are then \
        written one by one beside what is there, which is never touched, \
        copied or staged.
        """)
    public static let secretsFolder = DiagnosticCode(
        "FAB8003", .error, "unsafe secrets folder",
        """
        `--secrets DIR` receives the BGP passwords. It must not lie inside \
        the output folder or the project (files there are committed), must \
        be a real folder (not a symlink) owned by the user who builds, and \
        is kept at mode 0700 with every file at 0600. Choose a folder \
        outside the repository, such as one under `/run` or `~/.config`.
        """)
    public static let previousBuild = DiagnosticCode(
        "FAB8004", .error, "previous build missing or incomplete",
        """
        `--previous DIR` must name the output folder of an earlier build as \
        fabricc wrote it: its `MANIFEST.json` and every file it lists that a \
        check reads (`antrea/ippools.yaml`). A folder that does not exist, \
        holds no such build, or whose IPPool file is missing or empty would \
        silently skip the check that refuses changes Antrea refuses.
        """)
}

extension DiagnosticCatalogue {
    static let output: [DiagnosticCode] = [.outputEntry, .outputForeign, .secretsFolder, .previousBuild]
}
