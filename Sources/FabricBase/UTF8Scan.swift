extension String {
    /// Whether every UTF-8 byte satisfies `predicate`, read from the
    /// string's storage at once where it has one: the checks that run for
    /// every name of a big intent ask this of each (the byte view's
    /// iterator costs several times more per byte).
    @inlinable
    public func allUTF8(_ predicate: (UInt8) -> Bool) -> Bool {
        if let result = utf8.withContiguousStorageIfAvailable({ $0.allSatisfy(predicate) }) { return result }
        return utf8.allSatisfy(predicate)
    }
}
