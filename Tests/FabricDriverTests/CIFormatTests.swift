import FabricTestSupport
import Foundation
import Testing

@testable import FabricDiagnostics

/// What CI systems read: SARIF 2.1.0, GitHub workflow commands, the problem
/// matcher for the short format, and the pre-commit hooks.
@Suite(.serialized) struct CIFormatTests {
    /// Two errors and a warning, one with secondary labels, two in an included
    /// file under a folder with a space and a comma.
    static let files = [
        "dc.fab":
            "include \"racks/rack 1,a.fab\"\npool edge { prefix 203.0.113.128/25 }\npool public { prefix 203.0.113.0/24 }\n",
        "racks/rack 1,a.fab": "pool bad { prefix 198.51.100.0/24; gateway 192.0.2.1 }\nfabric { asn 23456 }\n",
    ]

    static func sarif(_ dir: URL) throws -> (status: Int32, log: [String: Any]) {
        let r = try CLI.run(["check", "dc.fab", "--diagnostic-format", "sarif"], in: dir)
        let log = try #require(
            try JSONSerialization.jsonObject(with: Data(r.stdout.utf8)) as? [String: Any], "not JSON: \(r.stdout)")
        return (r.status, log)
    }

    /// The properties SARIF 2.1.0's schema requires, the enumerations it
    /// allows and the references it makes, checked on a whole log.
    static func sarifProblems(_ log: [String: Any]) -> [String] {
        var problems: [String] = []
        func fail(_ p: String) { problems.append(p) }
        if log["version"] as? String != "2.1.0" { fail("version is not 2.1.0") }
        if (log["$schema"] as? String)?.hasPrefix("https://") != true { fail("$schema is not a URI") }
        guard let runs = log["runs"] as? [[String: Any]], !runs.isEmpty else {
            fail("no runs")
            return problems
        }
        let levels: Set<String> = ["none", "note", "warning", "error"]
        for run in runs {
            guard let driver = (run["tool"] as? [String: Any])?["driver"] as? [String: Any] else {
                fail("run without tool.driver")
                continue
            }
            if (driver["name"] as? String)?.isEmpty != false { fail("driver without a name") }
            let rules = driver["rules"] as? [[String: Any]] ?? []
            var ids: [String] = []
            for rule in rules {
                guard let id = rule["id"] as? String else {
                    fail("rule without id")
                    continue
                }
                ids.append(id)
                if (rule["shortDescription"] as? [String: Any])?["text"] as? String == nil {
                    fail("\(id): shortDescription.text")
                }
                if let level = (rule["defaultConfiguration"] as? [String: Any])?["level"] as? String,
                    !levels.contains(level)
                {
                    fail("\(id): level \(level)")
                }
            }
            if Set(ids).count != ids.count { fail("rule ids repeat") }
            guard let results = run["results"] as? [[String: Any]] else {
                fail("run without results")
                continue
            }
            for (n, result) in results.enumerated() {
                guard let message = result["message"] as? [String: Any], (message["text"] as? String)?.isEmpty == false
                else {
                    fail("result \(n): message.text")
                    continue
                }
                guard let ruleId = result["ruleId"] as? String, let index = result["ruleIndex"] as? Int,
                    ids.indices.contains(index), ids[index] == ruleId
                else {
                    fail("result \(n): ruleId and ruleIndex do not name one rule")
                    continue
                }
                if let level = result["level"] as? String, !levels.contains(level) {
                    fail("result \(n): level \(level)")
                }
                let locations =
                    (result["locations"] as? [[String: Any]] ?? [])
                    + (result["relatedLocations"] as? [[String: Any]] ?? [])
                if (result["locations"] as? [[String: Any]])?.isEmpty != false { fail("result \(n): no location") }
                for location in locations {
                    guard let physical = location["physicalLocation"] as? [String: Any],
                        let uri = (physical["artifactLocation"] as? [String: Any])?["uri"] as? String,
                        let region = physical["region"] as? [String: Int]
                    else {
                        fail("result \(n): physicalLocation")
                        continue
                    }
                    if uri.hasPrefix("/") || uri.contains("://") || URL(string: uri) == nil || uri.contains(" ") {
                        fail("result \(n): uri \(uri) is not a relative URI reference")
                    }
                    let startLine = region["startLine"] ?? 0
                    let startColumn = region["startColumn"] ?? 0
                    let endLine = region["endLine"] ?? startLine
                    let endColumn = region["endColumn"] ?? startColumn
                    if startLine < 1 || startColumn < 1 || endLine < startLine
                        || (endLine == startLine && endColumn < startColumn)
                    {
                        fail("result \(n): region \(region)")
                    }
                }
                let fingerprints = result["partialFingerprints"] as? [String: String]
                if fingerprints?.isEmpty != false { fail("result \(n): partialFingerprints") }
            }
        }
        return problems
    }

    @Test func sarifIsAValidLogWithOneResultPerDiagnostic() throws {
        try withFiles(Self.files) { dir in
            let (status, log) = try Self.sarif(dir)
            #expect(status == 1)
            #expect(Self.sarifProblems(log) == [])
            let run = try #require((log["runs"] as? [[String: Any]])?.first)
            let results = try #require(run["results"] as? [[String: Any]])
            let text = try CLI.run(["check", "dc.fab", "--diagnostic-format", "short"], in: dir).stderr
            #expect(results.count == text.split(separator: "\n").count, "\(text)")
            let rules = ((run["tool"] as? [String: Any])?["driver"] as? [String: Any])?["rules"] as? [[String: Any]]
            #expect(rules?.count == DiagnosticCatalogue.fabricc.all.count)
            let uris = results.compactMap {
                ((($0["locations"] as? [[String: Any]])?.first?["physicalLocation"] as? [String: Any])?[
                    "artifactLocation"] as? [String: Any])?["uri"] as? String
            }
            #expect(Set(uris) == ["dc.fab", "racks/rack%201,a.fab"], "\(uris)")
            #expect(results.contains { $0["ruleId"] as? String == "FAB3012" && $0["level"] as? String == "warning" })
            let overlap = try #require(results.first { $0["ruleId"] as? String == "FAB4001" })
            #expect((overlap["relatedLocations"] as? [Any])?.isEmpty == false)

            // Fingerprints follow the finding, not its line number.
            let before = results.map { $0["partialFingerprints"] as? [String: String] }
            try ("\n\n" + Self.files["dc.fab"]!).write(
                to: dir.appendingPathComponent("dc.fab"), atomically: true, encoding: .utf8)
            let moved = try Self.sarif(dir).log
            let after = ((moved["runs"] as? [[String: Any]])?.first?["results"] as? [[String: Any]] ?? []).map {
                $0["partialFingerprints"] as? [String: String]
            }
            #expect(Set(after.compactMap { $0?.description }) == Set(before.compactMap { $0?.description }))
        }
    }

    @Test func aCleanCheckIsAnEmptySARIFLog() throws {
        try withFiles(["dc.fab": "pool p { prefix 203.0.113.0/24 }\n"]) { dir in
            let (status, log) = try Self.sarif(dir)
            #expect(status == 0)
            #expect(Self.sarifProblems(log) == [])
            #expect(((log["runs"] as? [[String: Any]])?.first?["results"] as? [Any])?.isEmpty == true)
        }
    }

    /// The checker must catch a broken log, or it proves nothing.
    @Test func theSARIFCheckCatchesBrokenLogs() {
        let good: [String: Any] = [
            "version": "2.1.0", "$schema": "https://json.schemastore.org/sarif-2.1.0.json",
            "runs": [
                [
                    "tool": [
                        "driver": ["name": "fabricc", "rules": [["id": "FAB1", "shortDescription": ["text": "x"]]]]
                    ],
                    "results": [
                        [
                            "ruleId": "FAB1", "ruleIndex": 0, "level": "error", "message": ["text": "m"],
                            "partialFingerprints": ["a": "b"],
                            "locations": [
                                [
                                    "physicalLocation": [
                                        "artifactLocation": ["uri": "a.fab"],
                                        "region": ["startLine": 1, "startColumn": 1],
                                    ]
                                ]
                            ],
                        ]
                    ],
                ]
            ],
        ]
        #expect(Self.sarifProblems(good) == [])
        var wrongVersion = good
        wrongVersion["version"] = "2.0.0"
        #expect(!Self.sarifProblems(wrongVersion).isEmpty)
        for broken: [String: Any] in [
            [
                "ruleId": "FAB2", "ruleIndex": 0, "message": ["text": "m"], "partialFingerprints": ["a": "b"],
                "locations": [
                    [
                        "physicalLocation": [
                            "artifactLocation": ["uri": "a.fab"], "region": ["startLine": 1, "startColumn": 1],
                        ]
                    ]
                ],
            ],
            [
                "ruleId": "FAB1", "ruleIndex": 0, "level": "fatal", "message": ["text": "m"],
                "partialFingerprints": ["a": "b"],
                "locations": [
                    [
                        "physicalLocation": [
                            "artifactLocation": ["uri": "a.fab"], "region": ["startLine": 1, "startColumn": 1],
                        ]
                    ]
                ],
            ],
            [
                "ruleId": "FAB1", "ruleIndex": 0, "message": ["text": "m"], "partialFingerprints": ["a": "b"],
                "locations": [
                    [
                        "physicalLocation": [
                            "artifactLocation": ["uri": "/abs/a.fab"], "region": ["startLine": 1, "startColumn": 1],
                        ]
                    ]
                ],
            ],
            [
                "ruleId": "FAB1", "ruleIndex": 0, "message": ["text": "m"], "partialFingerprints": ["a": "b"],
                "locations": [
                    [
                        "physicalLocation": [
                            "artifactLocation": ["uri": "a.fab"], "region": ["startLine": 0, "startColumn": 1],
                        ]
                    ]
                ],
            ],
            [
                "ruleId": "FAB1", "ruleIndex": 0, "message": ["text": "m"],
                "locations": [
                    [
                        "physicalLocation": [
                            "artifactLocation": ["uri": "a.fab"], "region": ["startLine": 1, "startColumn": 1],
                        ]
                    ]
                ],
            ],
        ] {
            var log = good
            var run = (good["runs"] as! [[String: Any]])[0]
            run["results"] = [broken]
            log["runs"] = [run]
            #expect(!Self.sarifProblems(log).isEmpty, "\(broken)")
        }
    }

    @Test func githubCommandsEscapeWhatTheRunnerUnescapes() throws {
        try withFiles(Self.files) { dir in
            let r = try CLI.run(["check", "dc.fab", "--diagnostic-format", "github"], in: dir)
            #expect(r.status == 1)
            let lines = r.stdout.split(separator: "\n").map(String.init)
            #expect(lines.count == 3, "\(r.stdout)")
            for line in lines {
                let match = try #require(
                    line.firstMatch(
                        of: /^::(error|warning|notice) ((?:[a-zA-Z]+=[^,:]*)(?:,[a-zA-Z]+=[^,:]*)*)::(.*)$/), "\(line)")
                #expect(!match.3.contains("\n") && !match.3.contains("\r"))
                let properties = Dictionary(
                    uniqueKeysWithValues: match.2.split(separator: ",").map { p in
                        let kv = p.split(separator: "=", maxSplits: 1).map(String.init)
                        return (kv[0], kv.count > 1 ? kv[1] : "")
                    })
                #expect(
                    ["file", "line", "col", "endLine", "endColumn", "title"].allSatisfy { properties[$0] != nil },
                    "\(line)")
                #expect(properties["file"] == "dc.fab" || properties["file"] == "racks/rack 1%2Ca.fab", "\(line)")
            }
            #expect(lines.contains { $0.hasPrefix("::warning ") && $0.contains("title=fabricc FAB3012::") })
            #expect(lines.contains { $0.contains("%0Ahelp: ") }, "help goes on a second line, escaped")
        }
        // The runner's unescaping gives the text back.
        let hostile = "50% of a,b: c\r\nd"
        #expect(Self.unescapeProperty(GitHubRenderer.property(hostile)) == hostile)
        #expect(!GitHubRenderer.property(hostile).contains(where: { ",:\r\n".contains($0) }))
        #expect(!GitHubRenderer.data(hostile).contains(where: { "\r\n".contains($0) }))
    }

    /// The committed problem matcher reads every short-format line of the
    /// golden cases back into file, line, column, severity, code and message.
    @Test func theProblemMatcherReadsTheShortFormat() throws {
        let url = PackageRoot.url.appendingPathComponent(".github/fabricc-problem-matcher.json")
        let json = try #require(try JSONSerialization.jsonObject(with: Data(contentsOf: url)) as? [String: Any])
        let matcher = try #require((json["problemMatcher"] as? [[String: Any]])?.first)
        #expect(matcher["owner"] as? String == "fabricc")
        let pattern = try #require((matcher["pattern"] as? [[String: Any]])?.first)
        let regex = try NSRegularExpression(pattern: try #require(pattern["regexp"] as? String))
        var matched = 0
        let golden = PackageRoot.url.appendingPathComponent("Golden")
        for case let file as URL in FileManager.default.enumerator(at: golden, includingPropertiesForKeys: nil)!
        where file.lastPathComponent == "diagnostics.txt" {
            let text = try String(contentsOf: file, encoding: .utf8)
            // The short form is the block after the `--diagnostic-format short` command line.
            guard let block = text.components(separatedBy: "\n\n$ ").first?.split(separator: "\n").dropFirst() else {
                continue
            }
            for line in block.map(String.init) where line.contains("[FAB") {
                let range = NSRange(line.startIndex..., in: line)
                let m = try #require(regex.firstMatch(in: line, range: range), "\(file.path): \(line)")
                func group(_ key: String) -> String {
                    guard let n = pattern[key] as? Int, let r = Range(m.range(at: n), in: line) else { return "" }
                    return String(line[r])
                }
                #expect(Int(group("line")) != nil && Int(group("column")) != nil, "\(line)")
                #expect(["error", "warning", "note"].contains(group("severity")), "\(line)")
                #expect(
                    group("code").hasPrefix("FAB") && !group("message").isEmpty
                        && (group("file").hasSuffix(".fab") || group("file").hasSuffix(".fab.lock")),
                    "\(line)")
                matched += 1
            }
        }
        #expect(matched > 200)
    }

    /// As the Actions runner reads a property value back.
    static func unescapeProperty(_ s: String) -> String {
        s.replacingOccurrences(of: "%0D", with: "\r").replacingOccurrences(of: "%0A", with: "\n")
            .replacingOccurrences(of: "%3A", with: ":").replacingOccurrences(of: "%2C", with: ",").replacingOccurrences(
                of: "%25", with: "%")
    }

    /// The hooks file is what pre-commit reads, and the README's sample
    /// configuration names its hooks.
    @Test(.enabled(if: ToolRunner.available("/usr/bin/python3"), "python3 is not installed"))
    func thePreCommitHooksAreWellFormed() throws {
        let script = """
            import json, sys, yaml
            hooks = yaml.safe_load(open(sys.argv[1]))
            print(json.dumps(hooks))
            """
        let path = PackageRoot.url.appendingPathComponent(".pre-commit-hooks.yaml").path
        let (ok, output) = try ToolRunner.run("/usr/bin/python3", ["-c", script, path])
        #expect(ok, "\(output)")
        let hooks = try #require(try JSONSerialization.jsonObject(with: Data(output.utf8)) as? [[String: Any]])
        #expect(hooks.map { $0["id"] as? String } == ["fabricc-check", "fabricc-up-to-date"])
        for hook in hooks {
            #expect(hook["pass_filenames"] as? Bool == false && hook["require_serial"] as? Bool == true)
            #expect(["name", "entry", "language"].allSatisfy { (hook[$0] as? String)?.isEmpty == false })
            #expect((hook["entry"] as? String)?.hasPrefix("fabricc ") == true)
        }
        let readme = try String(contentsOf: PackageRoot.url.appendingPathComponent("README.md"), encoding: .utf8)
        let blocks = readme.components(separatedBy: "```yaml\n").dropFirst().compactMap {
            $0.components(separatedBy: "```").first
        }
        #expect(blocks.count == 2, "the pre-commit configuration and the Actions job")
        let load = "import json, sys, yaml\nprint(json.dumps(yaml.safe_load(open(sys.argv[1]).read())))"
        try withFiles(["precommit.yaml": blocks.first ?? "", "actions.yaml": blocks.last ?? ""]) { dir in
            let (parsed, json) = try ToolRunner.run(
                "/usr/bin/python3", ["-c", load, dir.appendingPathComponent("precommit.yaml").path])
            #expect(parsed, "\(json)")
            #expect(json.contains("\"fabricc-check\"") && json.contains("\"fabricc-up-to-date\""), "\(json)")
            let (job, steps) = try ToolRunner.run(
                "/usr/bin/python3", ["-c", load, dir.appendingPathComponent("actions.yaml").path])
            #expect(job, "\(steps)")
            #expect(
                steps.contains("--check") && steps.contains("upload-sarif")
                    && steps.contains("--diagnostic-format sarif"), "\(steps)")
        }
    }
}

/// `fabricc fmt` as a user and a pre-commit hook run it.
@Suite(.serialized) struct FormatCLITests {
    @Test func fmtRewritesChecksAndRefusesBrokenFiles() throws {
        let messy = "fabric dc1 { asn 65203; gateway 10.0.0.1 }   # trailing\nhost kvm1\n{\n  address 10.0.0.21\n}\n"
        let tidy =
            "fabric dc1 {\n    asn 65203\n    gateway 10.0.0.1\n}  # trailing\nhost kvm1 {\n    address 10.0.0.21\n}\n"
        try withFiles(["a.fab": messy, "b.fab": tidy, "broken.fab": "host kvm1 {\n"]) { dir in
            let check = try CLI.run(["fmt", "--check", "a.fab", "b.fab"], in: dir)
            #expect(check.status == 1 && check.stdout == "a.fab: not formatted\n", "\(check)")
            #expect(
                try String(contentsOf: dir.appendingPathComponent("a.fab"), encoding: .utf8) == messy, "--check wrote")
            try FileManager.default.setAttributes(
                [.posixPermissions: 0o640], ofItemAtPath: dir.appendingPathComponent("a.fab").path)
            let fmt = try CLI.run(["fmt", "a.fab", "b.fab"], in: dir)
            #expect(fmt.status == 0 && fmt.stderr.contains("formatted 1 file"), "\(fmt)")
            #expect(try String(contentsOf: dir.appendingPathComponent("a.fab"), encoding: .utf8) == tidy)
            #expect(
                try FileManager.default.attributesOfItem(atPath: dir.appendingPathComponent("a.fab").path)[
                    .posixPermissions] as? Int == 0o640)
            #expect(try CLI.run(["fmt", "--check", "a.fab", "b.fab"], in: dir).status == 0)
            let broken = try CLI.run(["fmt", "broken.fab", "--diagnostic-format", "short"], in: dir)
            #expect(broken.status == 1 && broken.stderr.contains("broken.fab:1:11: error[FAB1021]"), "\(broken.stderr)")
            #expect(
                try String(contentsOf: dir.appendingPathComponent("broken.fab"), encoding: .utf8) == "host kvm1 {\n")
            let leftovers = try FileManager.default.contentsOfDirectory(atPath: dir.path).filter {
                $0.contains("fabricc-fmt")
            }
            #expect(leftovers.isEmpty)
            // A symlink stays a symlink; the file it names is formatted.
            try messy.write(to: dir.appendingPathComponent("real.fab"), atomically: true, encoding: .utf8)
            try FileManager.default.createSymbolicLink(
                atPath: dir.appendingPathComponent("link.fab").path, withDestinationPath: "real.fab")
            #expect(try CLI.run(["fmt", "link.fab"], in: dir).status == 0)
            #expect(
                try FileManager.default.destinationOfSymbolicLink(atPath: dir.appendingPathComponent("link.fab").path)
                    == "real.fab")
            #expect(try String(contentsOf: dir.appendingPathComponent("real.fab"), encoding: .utf8) == tidy)
            // Two broken files, one SARIF document.
            try "host b {\n".write(to: dir.appendingPathComponent("broken2.fab"), atomically: true, encoding: .utf8)
            let sarif = try CLI.run(["fmt", "broken.fab", "broken2.fab", "--diagnostic-format", "sarif"], in: dir)
            #expect(sarif.status == 1)
            let log = try JSONSerialization.jsonObject(with: Data(sarif.stdout.utf8)) as? [String: Any]
            #expect(((log?["runs"] as? [[String: Any]])?.first?["results"] as? [Any])?.count == 2, "\(sarif.stdout)")
        }
    }
}
