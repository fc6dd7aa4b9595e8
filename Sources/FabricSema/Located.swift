import FabricDiagnostics

/// A value and where the intent wrote it: the one way a position is kept,
/// from the expander's evaluated values to the IR a backend reads (a
/// declaration's own place is its ``Origin``). A check or a backend that
/// reports about a value takes the span from the value itself, so no
/// lookup can miss.
public struct Located<T: Sendable & Hashable>: Sendable, Hashable {
    public let value: T
    public let span: Span
    public init(_ value: T, _ span: Span) {
        self.value = value
        self.span = span
    }

    /// The same place with another value (a value derived from this one).
    public func map<U>(_ transform: (T) -> U) -> Located<U> { Located<U>(transform(value), span) }
}

/// In `dump-ir` JSON a located value is its value: positions are printed
/// for declarations only (``Origin``).
extension Located: Encodable where T: Encodable {
    public func encode(to encoder: any Encoder) throws {
        var c = encoder.singleValueContainer()
        try c.encode(value)
    }
}

/// Text never shows a position by mistake: interpolating a located value
/// (instead of its `value`) does not compile.
extension DefaultStringInterpolation {
    @available(*, deprecated, message: "interpolate its value: `\\(x.value)`")
    public mutating func appendInterpolation<T>(_ located: Located<T>) {}

    @available(*, deprecated, message: "interpolate its value: `\\(x?.value)`")
    public mutating func appendInterpolation<T>(_ located: Located<T>?) {}
}
