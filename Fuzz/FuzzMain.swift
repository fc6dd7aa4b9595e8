import Foundation

// fabricc-fuzz: the libFuzzer harness of fabricc (scripts/fuzz).
//
// Built by scripts/fuzz with `-DFUZZING`, ASan and SanitizerCoverage, and
// linked with libFuzzer's no-main runtime, it is a libFuzzer binary: every
// libFuzzer flag and argument is passed on (`fabricc-fuzz CORPUS -dict=…`).
// Built normally (it is part of the package), it replays inputs without
// instrumentation: `fabricc-fuzz FILE|DIR…` runs FuzzTarget on each file.
// Both also have:
//   fabricc-fuzz --write-dict FILE            the dictionary, from the schema
//   fabricc-fuzz --write-seeds DIR ROOT…      seeds from the .fab files under ROOTs
#if canImport(Glibc)
    import Glibc
#endif

#if FUZZING
    /// libFuzzer's entry when it does not own `main` (LLVM 11+): runs the
    /// campaign the command line describes, calling `callback` on every input.
    /// (SwiftPM renames an executable's `main`, so libFuzzer's own `main`
    /// cannot be used; the no-main runtime is linked instead.)
    @_silgen_name("LLVMFuzzerRunDriver")
    func libFuzzerRunDriver(
        _ argc: UnsafeMutablePointer<CInt>,
        _ argv: UnsafeMutablePointer<UnsafeMutablePointer<UnsafeMutablePointer<CChar>?>>,
        _ callback: @convention(c) (UnsafePointer<UInt8>?, Int) -> CInt
    ) -> CInt
#endif

@main
enum FuzzMain {
    static func main() {
        let arguments = Array(CommandLine.arguments.dropFirst())
        if let every = ProcessInfo.processInfo.environment["FABRICC_FUZZ_WRITE_EVERY"].flatMap(Int.init), every > 0 {
            FuzzTarget.writeEvery = every
        }
        if ProcessInfo.processInfo.environment["FABRICC_FUZZ_PROFILE"] == "1" {
            FuzzTarget.profile = [:]
            atexit {
                guard FuzzTarget.inputs > 0 else { return }
                let total = FuzzTarget.profile!.values.reduce(0, +)
                FileHandle.standardError.write(
                    Data(
                        "fabricc-fuzz: \(FuzzTarget.inputs) inputs, \(FuzzTarget.cleanBuilds) built without errors\n"
                            .utf8))
                for (stage, seconds) in FuzzTarget.profile!.sorted(by: { $0.value > $1.value }) {
                    FileHandle.standardError.write(
                        Data(
                            String(format: "%8.2f s %5.1f%%  %@\n", seconds, 100 * seconds / max(total, 1e-9), stage)
                                .utf8))
                }
            }
        }
        switch arguments.first {
        case "--write-dict":
            guard arguments.count == 2 else { usage() }
            do {
                try FuzzDictionary.text().write(toFile: arguments[1], atomically: true, encoding: .utf8)
            } catch {
                fail("cannot write \(arguments[1]): \(error)")
            }
        case "--write-seeds":
            guard arguments.count >= 3 else { usage() }
            do {
                let n = try FuzzSeeds.write(into: arguments[1], from: Array(arguments.dropFirst(2)))
                print("fabricc-fuzz: \(n) seeds in \(arguments[1])")
            } catch {
                fail("cannot write seeds into \(arguments[1]): \(error)")
            }
        case "-h", "--help":
            usage()
        default:
            #if FUZZING
                var argc = CommandLine.argc
                var argv = CommandLine.unsafeArgv
                exit(
                    libFuzzerRunDriver(&argc, &argv) { data, size in
                        FuzzTarget.run(Array(UnsafeBufferPointer(start: data, count: size)))
                        return 0
                    })
            #else
                replay(arguments)
            #endif
        }
    }

    /// Runs every file named, or found under a folder named, through the
    /// harness; `--verbose` names each before it runs (to find a crasher).
    static func replay(_ arguments: [String]) {
        let verbose = arguments.contains("--verbose")
        let paths = arguments.filter { $0 != "--verbose" }
        guard !paths.isEmpty else { usage() }
        let fm = FileManager.default
        var files: [String] = []
        for path in paths {
            var isDirectory: ObjCBool = false
            guard fm.fileExists(atPath: path, isDirectory: &isDirectory) else {
                fail("\(path): no such file or folder")
            }
            if !isDirectory.boolValue {
                files.append(path)
                continue
            }
            for case let name as String in fm.enumerator(atPath: path) ?? FileManager.DirectoryEnumerator() {
                var isFolder: ObjCBool = false
                let full = path + "/" + name
                if fm.fileExists(atPath: full, isDirectory: &isFolder), !isFolder.boolValue, !name.hasSuffix(".md") {
                    files.append(full)
                }
            }
        }
        let start = Date()
        for file in files.sorted() {
            if verbose { FileHandle.standardError.write(Data("fabricc-fuzz: \(file)\n".utf8)) }
            guard let data = fm.contents(atPath: file) else { fail("cannot read \(file)") }
            FuzzTarget.run([UInt8](data))
        }
        print(
            "fabricc-fuzz: \(files.count) inputs replayed in \(String(format: "%.1f", Date().timeIntervalSince(start))) s, none crashed"
        )
    }

    static func usage() -> Never {
        fail(
            """
            usage: fabricc-fuzz [--verbose] FILE|DIR…          replay inputs (a build without -DFUZZING)
                   fabricc-fuzz CORPUS… [-flag=value…]        fuzz (a -DFUZZING build: libFuzzer's flags)
                   fabricc-fuzz --write-dict FILE
                   fabricc-fuzz --write-seeds DIR ROOT…
            """)
    }

    static func fail(_ message: String) -> Never {
        FileHandle.standardError.write(Data("fabricc-fuzz: \(message)\n".utf8))
        exit(64)
    }
}
