import FabricDiagnostics

// The syntax tree. It is generic in the HCL sense: statements are a keyword
// followed by values and an optional block; what each keyword means is
// defined by the ``LanguageSchema`` and checked in FabricSema. Every node has
// a span; the tree is never mutated after parsing.

/// A name as written in the source.
public struct Identifier: Sendable, Hashable {
    public let name: String
    public let span: Span
    public init(_ name: String, _ span: Span) {
        self.name = name
        self.span = span
    }
}

public enum UnaryOperator: String, Sendable, Hashable { case negate = "-" }

public enum BinaryOperator: String, Sendable, Hashable {
    case add = "+"
    case subtract = "-"
    case multiply = "*"
    case divide = "/"
    case remainder = "%"
}

/// One part of a string literal after parsing: text, or an interpolated
/// expression with an optional zero-pad width.
public enum StringPart: Sendable, Hashable {
    case text(String)
    case interpolation(Expression, width: Int?)
}

/// An expression: a value after a keyword, a block label, a loop range.
/// Only the cases that hold expressions are boxed: a literal, a string or a
/// name (almost every expression a big intent has) lives inline, without an
/// allocation of its own.
public enum ExpressionKind: Sendable, Hashable {
    case literal(LiteralValue)
    case string([StringPart])
    case name(String)
    indirect case unary(UnaryOperator, Expression)
    indirect case binary(BinaryOperator, Expression, Expression)
    /// `a..b`: VLAN ranges, address ranges, loop bounds.
    indirect case range(Expression, Expression)
    /// Something already reported as malformed; later stages skip it silently.
    case invalid
}

public struct Expression: Sendable, Hashable {
    public let kind: ExpressionKind
    public let span: Span
    public init(_ kind: ExpressionKind, _ span: Span) {
        self.kind = kind
        self.span = span
    }

    /// The text of a plain string literal without interpolation.
    public var plainString: String? {
        guard case .string(let parts) = kind else { return nil }
        var out = ""
        for part in parts {
            guard case .text(let t) = part else { return nil }
            out += t
        }
        return out
    }
}

/// `keyword value, value;` — sets a property of the enclosing block.
public struct Attribute: Sendable, Hashable {
    public let keyword: Identifier
    public let values: [Expression]
    public let span: Span
}

/// `keyword [label] { items }` — a declaration or a nested policy block.
public struct Block: Sendable, Hashable {
    public let keyword: Identifier
    /// Zero or more labels; named declarations take exactly one.
    public let labels: [Expression]
    public let body: [Item]
    public let openBrace: Span
    /// Nil when the file ended before the block was closed.
    public let closeBrace: Span?
    public let span: Span
}

/// `for NAME in RANGE { items }`.
public struct ForLoop: Sendable, Hashable {
    public let variable: Identifier
    public let sequence: Expression
    public let body: [Item]
    public let span: Span
}

/// `include "path.fab"`.
public struct Include: Sendable, Hashable {
    public let path: Expression
    public let span: Span
}

/// One statement.
public enum Item: Sendable, Hashable {
    case attribute(Attribute)
    case block(Block)
    case forLoop(ForLoop)
    case include(Include)

    public var span: Span {
        switch self {
        case .attribute(let a): a.span
        case .block(let b): b.span
        case .forLoop(let f): f.span
        case .include(let i): i.span
        }
    }
}

/// The parsed items of one file.
public struct FileSyntax: Sendable, Hashable {
    public let file: FileID
    public let items: [Item]
}
