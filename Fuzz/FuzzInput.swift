import FabricBase
import FabricDriver
import FabricSyntax

/// One fuzz input: the entry file, more files beside it, and the build's
/// settings, all in one byte string so that libFuzzer can mutate every part.
///
/// The bytes up to the first section header are `main.fab`. A header is a
/// line `#>>> NAME` (a comment to the language, so a bundle still parses as
/// one file); the bytes after it, up to the next header, are:
///
/// - `#>>> PATH`: a source file (or a secret file) at PATH, relative to the
///   entry's folder `/f` (`dc1/hosts.fab`, `../x.fab`, `/run/secrets/bgp`);
/// - `#>>> @env`: `NAME=value` lines, the environment secrets are read from
///   (every other variable a secret names is set to a fake value);
/// - `#>>> @previous/PATH`: the previous build's file PATH (`--previous`);
/// - `#>>> @allow-breaking`, `#>>> @warnings-as-errors`: the flags.
struct FuzzInput {
    static let header: [UInt8] = Array("#>>> ".utf8)
    static let directory = "/f"
    static let entry = "main.fab"
    /// The value of a secret the input does not give one.
    static let fakeSecret = "fuzz-secret"

    var files: [String: [UInt8]] = [:]
    var environment: [String: String] = [:]
    var previous: [String: String] = [:]
    var allowBreaking = false
    var warningsAsErrors = false

    init(_ bytes: [UInt8]) {
        var name = Self.entry
        var start = 0
        var i = 0
        func close(at end: Int) {
            add(name, Array(bytes[start..<end]))
        }
        while i < bytes.count {
            if i == 0 || bytes[i - 1] == 0x0A, bytes[i...].starts(with: Self.header) {
                close(at: i)
                let nameStart = i + Self.header.count
                var lineEnd = nameStart
                while lineEnd < bytes.count, bytes[lineEnd] != 0x0A { lineEnd += 1 }
                name = String(decoding: bytes[nameStart..<lineEnd], as: UTF8.self)
                start = min(lineEnd + 1, bytes.count)
                i = start
                continue
            }
            i += 1
        }
        close(at: bytes.count)
    }

    private mutating func add(_ name: String, _ content: [UInt8]) {
        switch name {
        case "@env":
            for line in String(decoding: content, as: UTF8.self).split(separator: "\n") where !line.hasPrefix("#") {
                guard let eq = line.firstIndex(of: "=") else { continue }
                environment[String(line[..<eq])] = String(line[line.index(after: eq)...])
            }
        case "@allow-breaking": allowBreaking = true
        case "@warnings-as-errors": warningsAsErrors = true
        case let p where p.hasPrefix("@previous/"):
            previous[String(p.dropFirst("@previous/".count))] = String(decoding: content, as: UTF8.self)
        default:
            // A later section of the same path replaces an earlier one.
            files[Paths.join(Self.directory, name)] = content
        }
    }

    /// The bytes of a bundle: the inverse of `init`, for writing seeds.
    static func bundle(main: [UInt8], sections: [(name: String, content: [UInt8])]) -> [UInt8] {
        var out = main
        for (name, content) in sections {
            if !out.isEmpty, out.last != 0x0A { out.append(0x0A) }
            out += header + Array(name.utf8) + [0x0A] + content
        }
        return out
    }
}
