import FabricDiagnostics

/// The kinds of token the lexer produces.
public enum TokenKind: UInt8, Sendable, Hashable {
    case identifier
    case literal
    case string
    case lbrace, rbrace, lparen, rparen
    case comma, semicolon, newline
    case plus, minus, star, slash, percent
    case dotdot
    /// A run of input already reported as an error; the parser skips it.
    case invalid
    case eof

    /// How the token reads in a message: "`{`", "a line break".
    public var spelling: String {
        switch self {
        case .identifier: "a name"
        case .literal: "a literal"
        case .string: "a string"
        case .lbrace: "`{`"
        case .rbrace: "`}`"
        case .lparen: "`(`"
        case .rparen: "`)`"
        case .comma: "`,`"
        case .semicolon: "`;`"
        case .newline: "a line break"
        case .plus: "`+`"
        case .minus: "`-`"
        case .star: "`*`"
        case .slash: "`/`"
        case .percent: "`%`"
        case .dotdot: "`..`"
        case .invalid: "an invalid token"
        case .eof: "the end of the file"
        }
    }
}

/// One piece of a string literal as lexed: text, or the byte range of an
/// interpolated expression `${…}` still to be parsed.
public enum StringPiece: Sendable, Hashable {
    case text(String)
    /// `start..<end` holds the expression; `width` is the zero-pad width of
    /// `${i:02}`.
    case interpolation(start: UInt32, end: UInt32, width: Int?)
}

/// What a token carries beyond its kind and position.
public enum TokenPayload: Sendable, Hashable {
    case none
    case literal(LiteralValue)
    /// A literal that was malformed and has been reported.
    case poisonedLiteral
    case string([StringPiece])
    /// A string of printable ASCII without escapes or interpolation (a
    /// name in quotes, nearly every string of a big intent): its text, with
    /// no list of pieces to allocate.
    case plainString(String)
}

/// A token: kind, byte range in its file, and payload.
public struct Token: Sendable, Hashable {
    // The payload first: the small fields then fill its tail padding, and a
    // token takes 32 bytes instead of 48 (a 100k-line file has a million).
    public let payload: TokenPayload
    public let kind: TokenKind
    public let start: UInt32
    public let end: UInt32

    public init(_ kind: TokenKind, _ start: UInt32, _ end: UInt32, _ payload: TokenPayload = .none) {
        self.kind = kind
        self.start = start
        self.end = end
        self.payload = payload
    }
}
