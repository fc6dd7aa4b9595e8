import FabricBase
import FabricDriver
import FabricSyntax
import Foundation

/// Turns the `.fab` files under some folders (examples/, Golden/) into fuzz
/// inputs: each file with every file it includes, the case's `environment`
/// (Golden build cases) and its `previous/` build, bundled as `FuzzInput`
/// reads them.
enum FuzzSeeds {
    /// Writes one seed per `.fab` file found under `roots` into `output`;
    /// returns how many.
    static func write(into output: String, from roots: [String]) throws -> Int {
        let fm = FileManager.default
        try fm.createDirectory(atPath: output, withIntermediateDirectories: true)
        var entries: [String] = []
        for root in roots {
            guard let walker = fm.enumerator(atPath: root) else { continue }
            for case let path as String in walker where path.hasSuffix(".fab") {
                entries.append(Paths.join(root, path))
            }
        }
        var written = Set<String>()
        for entry in entries.sorted() {
            let bytes = seed(entry)
            let name = "seed-" + String(UInt64(truncatingIfNeeded: stableHash(bytes)), radix: 16)
            guard written.insert(name).inserted else { continue }
            try Data(bytes).write(to: URL(fileURLWithPath: output + "/" + name))
        }
        return written.count
    }

    static func seed(_ entry: String) -> [UInt8] {
        let provider = DiskSourceProvider()
        let absolute = provider.absolute(entry)
        let directory = Paths.directory(of: absolute)
        let result = Driver.check(entry, provider: provider)
        var main: [UInt8] = (try? [UInt8](Data(contentsOf: URL(fileURLWithPath: absolute)))) ?? []
        var sections: [(name: String, content: [UInt8])] = []
        for file in result.sources.files {
            let path = provider.absolute(file.displayPath)
            if path == absolute {
                main = file.bytes
                continue
            }
            sections.append((relative(path, from: directory), file.bytes))
        }
        let fm = FileManager.default
        if let environment = fm.contents(atPath: directory + "/environment") {
            sections.append(("@env", [UInt8](environment)))
        }
        let previous = directory + "/previous"
        if let walker = fm.enumerator(atPath: previous) {
            for case let path as String in walker {
                var isDirectory: ObjCBool = false
                guard fm.fileExists(atPath: previous + "/" + path, isDirectory: &isDirectory), !isDirectory.boolValue,
                    let data = fm.contents(atPath: previous + "/" + path)
                else { continue }
                sections.append(("@previous/" + path, [UInt8](data)))
            }
        }
        return FuzzInput.bundle(main: main, sections: sections)
    }

    /// `path` relative to `directory`, with `..` where it lies outside.
    static func relative(_ path: String, from directory: String) -> String {
        let a = path.split(separator: "/")
        let b = directory.split(separator: "/")
        var common = 0
        while common < min(a.count, b.count), a[common] == b[common] { common += 1 }
        return (Array(repeating: "..", count: b.count - common) + a[common...].map(String.init)).joined(separator: "/")
    }

    /// FNV-1a: a file name that is the same on every run.
    static func stableHash(_ bytes: [UInt8]) -> UInt64 {
        bytes.reduce(0xcbf2_9ce4_8422_2325) { ($0 ^ UInt64($1)) &* 0x100_0000_01b3 }
    }
}
