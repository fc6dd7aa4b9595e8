import FabricDiagnostics
import FabricSyntax

/// Mutations that keep an input mostly well-formed, so that more of them
/// get past the checks into the backends: byte-level mutants of a valid
/// intent almost always stop at a syntax error. On every second mutation
/// libFuzzer's own mutator (bytes, dictionary, cross-over) runs instead.
enum FuzzMutator {
    /// A small deterministic generator seeded by libFuzzer.
    struct Random {
        var state: UInt64
        init(_ seed: UInt32) { state = UInt64(seed) &+ 0x9E37_79B9_7F4A_7C15 }
        mutating func next() -> UInt64 {
            state &+= 0x9E37_79B9_7F4A_7C15
            var z = state
            z = (z ^ (z >> 30)) &* 0xBF58_476D_1CE4_E5B9
            z = (z ^ (z >> 27)) &* 0x94D0_49BB_1331_11EB
            return z ^ (z >> 31)
        }
        mutating func below(_ n: Int) -> Int { n <= 1 ? 0 : Int(next() % UInt64(n)) }
    }

    /// Words a name may be replaced with: the schema's keywords and values.
    static let words: [[UInt8]] = FuzzDictionary.entries().filter {
        $0.utf8.allSatisfy { $0 == UInt8(ascii: "-") || (0x30...0x39).contains($0) || (0x61...0x7A).contains($0) }
            && $0.first?.isLetter == true
    }.map { Array($0.utf8) }

    /// Numbers that are edges somewhere: octets, VLANs, MTUs, AS numbers, lengths.
    static let edges: [UInt64] = [
        0, 1, 2, 15, 16, 24, 31, 32, 33, 48, 64, 127, 128, 129, 255, 256, 1000, 1500, 4094, 4095, 4096,
        9000, 9216, 65535, 65536, 4_294_967_295, 4_294_967_296,
    ]

    /// One token-level change of `bytes`, or nil when none applies.
    static func mutate(_ bytes: [UInt8], _ random: inout Random) -> [UInt8]? {
        let tokens = Lexer.tokenize(bytes, file: FileID(0)).tokens.filter { $0.kind != .eof && $0.end > $0.start }
        guard !tokens.isEmpty else { return nil }
        func text(_ t: Token) -> ArraySlice<UInt8> { bytes[Int(t.start)..<Int(t.end)] }
        func replacing(_ t: Token, with new: some Collection<UInt8>) -> [UInt8] {
            var out = bytes
            out.replaceSubrange(Int(t.start)..<Int(t.end), with: new)
            return out
        }
        let target = tokens[random.below(tokens.count)]
        switch random.below(6) {
        case 0:
            // Another token's text, of the same kind when there is one.
            let same = tokens.filter { $0.kind == target.kind }
            let donor = same.isEmpty ? tokens[random.below(tokens.count)] : same[random.below(same.count)]
            return replacing(target, with: text(donor))
        case 1:
            // A number inside a literal (an octet, a length, a VLAN, an AS) moved a little or to an edge.
            let literals = tokens.filter { $0.kind == .literal || $0.kind == .string }
            guard !literals.isEmpty else { return nil }
            let literal = literals[random.below(literals.count)]
            var runs: [Range<Int>] = []
            var i = Int(literal.start)
            while i < Int(literal.end) {
                guard (0x30...0x39).contains(bytes[i]) else {
                    i += 1
                    continue
                }
                let start = i
                while i < Int(literal.end), (0x30...0x39).contains(bytes[i]) { i += 1 }
                runs.append(start..<i)
            }
            guard !runs.isEmpty else { return nil }
            let run = runs[random.below(runs.count)]
            let value = UInt64(String(decoding: bytes[run], as: UTF8.self)) ?? 0
            let new: UInt64 =
                switch random.below(3) {
                case 0: value &+ 1
                case 1: value == 0 ? 0 : value - 1
                default: edges[random.below(edges.count)]
                }
            var out = bytes
            out.replaceSubrange(run, with: Array(String(new).utf8))
            return out
        case 2:
            // A name replaced by a word of the language.
            let names = tokens.filter { $0.kind == .identifier }
            guard !names.isEmpty else { return nil }
            return replacing(names[random.below(names.count)], with: words[random.below(words.count)])
        case 3, 4:
            // A line copied elsewhere, or removed.
            var lines: [Range<Int>] = []
            var start = 0
            for (i, byte) in bytes.enumerated() where byte == 0x0A {
                lines.append(start..<(i + 1))
                start = i + 1
            }
            if start < bytes.count { lines.append(start..<bytes.count) }
            guard lines.count > 1 else { return nil }
            let line = lines[random.below(lines.count)]
            var out = bytes
            if random.below(2) == 0 {
                out.removeSubrange(line)
            } else {
                let at = lines[random.below(lines.count)].lowerBound
                out.insert(contentsOf: bytes[line], at: at)
            }
            return out
        default:
            // A token dropped.
            return replacing(target, with: [])
        }
    }
}

#if FUZZING
    /// libFuzzer's own mutator, for the custom one to fall back on.
    @_silgen_name("LLVMFuzzerMutate")
    func libFuzzerMutate(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int) -> Int

    @_cdecl("LLVMFuzzerCustomMutator")
    public func fabricCustomMutator(_ data: UnsafeMutablePointer<UInt8>, _ size: Int, _ maxSize: Int, _ seed: UInt32)
        -> Int
    {
        var random = FuzzMutator.Random(seed)
        if random.below(2) == 0 { return libFuzzerMutate(data, size, maxSize) }
        let bytes = Array(UnsafeBufferPointer(start: data, count: size))
        guard let mutated = FuzzMutator.mutate(bytes, &random), !mutated.isEmpty, mutated.count <= maxSize,
            mutated != bytes
        else {
            return libFuzzerMutate(data, size, maxSize)
        }
        mutated.withUnsafeBufferPointer { data.update(from: $0.baseAddress!, count: mutated.count) }
        return mutated.count
    }
#endif
