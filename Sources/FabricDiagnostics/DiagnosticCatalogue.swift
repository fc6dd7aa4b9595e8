// The catalogue of every diagnostic code. Ranges:
//   FAB0xxx  input files and the command line
//   FAB1xxx  lexical and syntax errors, includes
//   FAB2xxx  structure: keywords, names and values against the language schema
//   FAB3xxx  names and types (DiagnosticCatalogue+Semantics.swift)
//   FAB4xxx  addressing and VLAN checks
//   FAB5xxx  BGP design checks
//   FAB6xxx  names and strings a target cannot carry
// Later stages add their own ranges; never renumber a published code.

extension DiagnosticCode {
    // MARK: FAB0xxx — files
    public static let fileUnreadable = DiagnosticCode(
        "FAB0001", .error, "file cannot be read",
        """
        fabricc could not read an input file: it does not exist, is a directory, \
        or is not readable by the current user. Check the path given on the command \
        line; paths are relative to the current directory.
        """)
    public static let fileTooLarge = DiagnosticCode(
        "FAB0002", .error, "file is too large",
        """
        Source files are limited to 1 GiB so that every position fits the compact \
        32-bit offsets fabricc uses. Split a larger intent with `include`.
        """)

    // MARK: FAB1xxx — lexical
    public static let unexpectedCharacter = DiagnosticCode(
        "FAB1001", .error, "unexpected character",
        """
        The character cannot start any token of the fabric language. Names are \
        letters, digits, `_` and `-` and start with a letter or `_`; anything else \
        belongs in a string: `host "kvm 1" { … }`.
        """)
    public static let unterminatedString = DiagnosticCode(
        "FAB1002", .error, "unterminated string",
        """
        A string literal must be closed with `"` on the same line. Strings cannot \
        span lines; write `\\n` for a newline.

            description "uplink to spine   # error: no closing quote
            description "uplink to spine"  # fixed
        """)
    public static let invalidEscape = DiagnosticCode(
        "FAB1003", .error, "invalid escape sequence",
        """
        Inside a string, `\\` starts an escape. The valid escapes are `\\\\`, `\\"`, \
        `\\n`, `\\t`, `\\r`, `\\$` (a literal dollar sign) and `\\u{…}` with one to \
        six hexadecimal digits naming a Unicode scalar value.
        """)
    public static let unterminatedComment = DiagnosticCode(
        "FAB1004", .error, "unterminated block comment",
        """
        A block comment opened with `/*` was not closed with `*/` before the end \
        of the file. Block comments do not nest; see FAB1008.
        """)
    public static let invalidUTF8 = DiagnosticCode(
        "FAB1005", .error, "invalid UTF-8",
        """
        Source files must be UTF-8. The byte shown is not part of a valid UTF-8 \
        sequence; the file may be in another encoding or binary.
        """)
    public static let controlCharacter = DiagnosticCode(
        "FAB1006", .error, "control character in string",
        """
        Strings may not hold raw control characters (tab, carriage return and the \
        like): generated shell scripts, YAML and device configurations cannot carry \
        them safely. Write the escape (`\\t`) if you really mean it.
        """)
    public static let malformedInterpolation = DiagnosticCode(
        "FAB1007", .error, "malformed interpolation",
        """
        `${…}` inside a string interpolates an expression, usually a loop variable: \
        `"kvm${i}"`. The braces must close on the same line and hold an expression. \
        An optional `:width` pads an integer with zeros: `"kvm${i:02}"` gives `kvm07`. \
        Write `\\$` for a literal dollar sign.
        """)
    public static let nestedComment = DiagnosticCode(
        "FAB1008", .error, "nested block comment",
        """
        Block comments do not nest, as in Junos and BIRD: the first `*/` closes \
        the comment however many `/*` stand inside it, and a later `*/` is left \
        outside. To comment out a region that holds a block comment, use `#` on \
        each line.
        """)
    public static let malformedIPv4 = DiagnosticCode(
        "FAB1010", .error, "malformed IPv4 address",
        """
        An IPv4 address has four decimal octets from 0 to 255 separated by dots, \
        without leading zeros (`010` is ambiguous between octal and decimal): \
        `10.0.0.1`.
        """)
    public static let malformedIPv6 = DiagnosticCode(
        "FAB1011", .error, "malformed IPv6 address",
        """
        An IPv6 address has eight groups of one to four hexadecimal digits \
        separated by `:`; one run of zero groups may be shortened to `::`, and the \
        last 32 bits may be written as an IPv4 address: `2001:db8::1`, \
        `::ffff:192.0.2.1`.
        """)
    public static let prefixLength = DiagnosticCode(
        "FAB1012", .error, "prefix length out of range",
        """
        The length after `/` counts network bits: 0 to 32 for IPv4, 0 to 128 for \
        IPv6. `10.0.0.0/33` has no meaning.
        """)
    public static let prefixHostBits = DiagnosticCode(
        "FAB1013", .error, "prefix has host bits set",
        """
        A prefix names a network, so every bit after the prefix length must be \
        zero. `10.0.0.1/24` is either the network `10.0.0.0/24` or the address \
        `10.0.0.1` on it; fabricc will not guess which one you meant.
        """)
    public static let malformedNumber = DiagnosticCode(
        "FAB1014", .error, "malformed number",
        """
        Integers are decimal, without leading zeros, and at most 2^63-1. A number \
        directly followed by letters (`12ab`) is not a number; use a string or a \
        name that starts with a letter.
        """)
    public static let malformedASDot = DiagnosticCode(
        "FAB1015", .error, "malformed asdot AS number",
        """
        An AS number in asdot notation is two 16-bit halves, `HIGH.LOW`, each from \
        0 to 65535: `1.10` is AS 65546. Plain notation (`65546`) is accepted as well.
        """)
    public static let malformedMAC = DiagnosticCode(
        "FAB1016", .error, "malformed MAC address",
        """
        A MAC address is six pairs of hexadecimal digits separated by `:`: \
        `52:54:00:12:34:56`.
        """)
    public static let malformedDuration = DiagnosticCode(
        "FAB1017", .error, "malformed duration",
        """
        A duration is an integer directly followed by a unit: `ms`, `s`, `m` or `h` \
        (`90s`, `3m`).
        """)
    public static let dottedNumber = DiagnosticCode(
        "FAB1018", .error, "malformed dotted number",
        """
        A literal made of numbers and dots is either an asdot AS number (two parts, \
        `1.10`) or an IPv4 address (four parts, `10.0.0.1`). Three or more than four \
        parts are neither. A range between two values is written with `..`: \
        `10.0.0.10..10.0.0.50`.
        """)

    // MARK: FAB102x — syntax
    public static let expectedToken = DiagnosticCode(
        "FAB1020", .error, "expected something else",
        """
        The parser expected a different token here, for example `;` or a line break \
        after a statement, a name after a keyword, or an expression after an \
        operator. The message says what was expected and what was found.
        """)
    public static let unclosedBrace = DiagnosticCode(
        "FAB1021", .error, "unclosed `{`",
        """
        A block opened with `{` is still open at the end of the file. The label \
        points at the opening brace; add the matching `}` where the block ends.
        """)
    public static let unmatchedBrace = DiagnosticCode(
        "FAB1022", .error, "unmatched `}`",
        """
        A `}` closes a block that was never opened. Often a block's `{` was left out \
        or a `}` was typed twice.
        """)
    public static let expectedStatement = DiagnosticCode(
        "FAB1023", .error, "expected a statement",
        """
        A statement starts with a keyword (`host`, `prefix`, `for`, …). The token \
        found here cannot start one. Values such as addresses follow a keyword: \
        `address 10.0.0.1`.
        """)
    public static let unclosedParen = DiagnosticCode(
        "FAB1024", .error, "unclosed `(`",
        """
        A parenthesised expression must close with `)` on the same statement.
        """)

    // MARK: FAB103x — includes
    public static let includeNotFound = DiagnosticCode(
        "FAB1030", .error, "included file not found",
        """
        `include "path.fab"` names a file relative to the including file. The file \
        does not exist or cannot be read.
        """)
    public static let includeCycle = DiagnosticCode(
        "FAB1031", .error, "include cycle",
        """
        A file includes itself, directly or through other files. Each file's \
        declarations are merged into the fabric once; break the cycle by moving \
        the shared part into a file both include.
        """)
    public static let includeEscapesRoot = DiagnosticCode(
        "FAB1032", .error, "include escapes the project root",
        """
        Included files must lie inside the project root: the directory of the file \
        given on the command line, or the directory given with `--root`. Paths with \
        `..` that leave it, absolute paths elsewhere, and symbolic links pointing \
        outside are refused so that an intent cannot read arbitrary files.
        """)
    public static let includeNotTopLevel = DiagnosticCode(
        "FAB1033", .error, "include inside a block",
        """
        `include` may only appear at the top level of a file, outside every block \
        and loop: an included file holds whole declarations.
        """)
    public static let includeNotLiteral = DiagnosticCode(
        "FAB1034", .error, "include path must be a plain string",
        """
        The path of an `include` must be a string literal without interpolation, so \
        that the set of files is known before anything is evaluated.
        """)
    public static let includeRepeated = DiagnosticCode(
        "FAB1035", .warning, "file included more than once",
        """
        The same file is included a second time (possibly through another path). \
        Its declarations are merged once; the repeated include is ignored.
        """)

    // MARK: FAB2xxx — structure against the schema
    public static let unknownKeyword = DiagnosticCode(
        "FAB2001", .error, "unknown keyword",
        """
        The keyword is not part of the fabric language in this position. Each block \
        accepts its own set of keywords; `fabricc explain FAB2001` cannot list them \
        all, see `docs/language.md` for the keywords of every block.
        """)
    public static let misplacedBlock = DiagnosticCode(
        "FAB2002", .error, "block not allowed here",
        """
        The block exists but not in this position: a `vm` belongs inside a `host`, \
        a `portgroup` inside a `vswitch`, a `port` inside an `ovs-bridge`. The \
        message names where it may appear.
        """)
    public static let bodyRequired = DiagnosticCode(
        "FAB2003", .error, "block needs a body",
        """
        Declarations such as `host`, `pool` or `vm` are blocks: they need a body in \
        braces, even an empty one: `vlan data { id 3105 }`.
        """)
    public static let bodyNotAllowed = DiagnosticCode(
        "FAB2004", .error, "attribute cannot have a body",
        """
        The keyword sets a value (`prefix 10.0.0.0/24`) and cannot be followed by a \
        block in braces.
        """)
    public static let nameRequired = DiagnosticCode(
        "FAB2005", .error, "declaration needs a name",
        """
        Named declarations take exactly one name after the keyword, a bare name or a \
        string (which may interpolate loop variables): `host kvm1 { … }`, \
        `host "kvm${i}" { … }`. Unnamed blocks (`failover`, `security`) take none.
        """)
    public static let valueCount = DiagnosticCode(
        "FAB2006", .error, "wrong number of values",
        """
        An attribute takes the number of values its definition says: a flag takes \
        none (`trunk;`), most attributes take exactly one (`mtu 9000`), lists take \
        one or more separated by commas (`reflectors rr1, rr2`).
        """)
    public static let duplicateAttribute = DiagnosticCode(
        "FAB2007", .error, "attribute set twice",
        """
        An attribute that holds a single value may be set only once per block; the \
        label points at the first setting. Repeatable attributes (such as `range` \
        in a `pool`) say so in `docs/language.md`.
        """)
    public static let duplicateSingleton = DiagnosticCode(
        "FAB2008", .error, "block may appear only once",
        """
        Some blocks may appear only once in their parent: the fabric-wide `fabric` \
        defaults, and a `failover` or `security` policy per vSwitch or port group.
        """)
}

/// The codes of one stage, in one range (`FAB71xx`).
public struct DiagnosticGroup: Sendable {
    /// The range as the docs show it: `FAB1xxx`, `FAB71xx`.
    public let range: String
    /// Which stage reports them, for the docs' table of ranges.
    public let stage: String
    public let codes: [DiagnosticCode]

    public init(range: String, stage: String, codes: [DiagnosticCode]) {
        self.range = range
        self.stage = stage
        self.codes = codes
    }

    /// Whether `code` is numbered inside the range (`FAB71xx` holds FAB7101).
    public func holds(_ code: DiagnosticCode) -> Bool {
        code.id.hasPrefix(range.prefix { $0 != "x" })
    }
}

/// Every diagnostic code of a set of stages, in code order: the stages
/// below the backends (``core``) plus each registered backend's group.
/// `explain`, SARIF rules and `docs/diagnostics.md` read it.
public struct DiagnosticCatalogue: Sendable {
    public let groups: [DiagnosticGroup]
    public let all: [DiagnosticCode]

    public init(_ groups: [DiagnosticGroup]) {
        self.groups = groups.sorted { $0.range < $1.range }
        all = groups.flatMap(\.codes).sorted()
    }

    /// Looks a code up by id, case-insensitively (`fab1002` works too).
    public func code(_ id: String) -> DiagnosticCode? {
        let wanted = id.uppercased()
        return all.first { $0.id == wanted }
    }

    /// The stages that are not backends: files, syntax, semantics, secrets,
    /// the output tree.
    public static let core = DiagnosticCatalogue(coreGroups)

    public static let coreGroups: [DiagnosticGroup] = {
        let codes = frontEnd + semantic
        func range(_ range: String, _ stage: String) -> DiagnosticGroup {
            DiagnosticGroup(
                range: range, stage: stage, codes: codes.filter { $0.id.hasPrefix(range.prefix { $0 != "x" }) })
        }
        return [
            range("FAB0xxx", "input files"),
            range("FAB1xxx", "lexical and syntax errors, includes"),
            range("FAB2xxx", "structure: keywords, names and values against the language schema"),
            range("FAB3xxx", "names, references, types and value ranges"),
            range("FAB4xxx", "addressing and VLAN checks"),
            range("FAB5xxx", "BGP design checks"),
            range("FAB6xxx", "names and strings a target cannot carry"),
            DiagnosticGroup(range: "FAB70xx", stage: "build: secrets read when artifacts are written", codes: secrets),
            DiagnosticGroup(
                range: "FAB80xx",
                stage: "the output tree, the secrets folder and `--previous` on disk (no source line)",
                codes: output),
        ]
    }()

    static let frontEnd: [DiagnosticCode] = [
        .fileUnreadable, .fileTooLarge,
        .unexpectedCharacter, .unterminatedString, .invalidEscape, .unterminatedComment,
        .invalidUTF8, .controlCharacter, .malformedInterpolation, .nestedComment,
        .malformedIPv4, .malformedIPv6, .prefixLength, .prefixHostBits, .malformedNumber,
        .malformedASDot, .malformedMAC, .malformedDuration, .dottedNumber,
        .expectedToken, .unclosedBrace, .unmatchedBrace, .expectedStatement, .unclosedParen,
        .includeNotFound, .includeCycle, .includeEscapesRoot, .includeNotTopLevel,
        .includeNotLiteral, .includeRepeated,
        .unknownKeyword, .misplacedBlock, .bodyRequired, .bodyNotAllowed, .nameRequired,
        .valueCount, .duplicateAttribute, .duplicateSingleton,
    ]
}
