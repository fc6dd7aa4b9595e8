/// Lexical path helpers (no file system access).
public enum Paths {
    /// Removes `.` and empty components and folds `..`; keeps a leading `/`
    /// and, for relative paths, leading `..` components.
    public static func normalize(_ path: String) -> String {
        let absolute = path.hasPrefix("/")
        var out: [Substring] = []
        for part in path.split(separator: "/", omittingEmptySubsequences: true) {
            if part == "." { continue }
            if part == "..", let last = out.last, last != ".." {
                out.removeLast()
            } else if part == "..", absolute {
                continue
            } else {
                out.append(part)
            }
        }
        let joined = out.joined(separator: "/")
        if absolute { return "/" + joined }
        return joined.isEmpty ? "." : joined
    }

    public static func directory(of path: String) -> String {
        guard let slash = path.lastIndex(of: "/") else { return "." }
        if slash == path.startIndex { return "/" }
        return String(path[..<slash])
    }

    /// The last component of a path (`a/b.fab` → `b.fab`).
    public static func lastComponent(of path: String) -> String {
        path.split(separator: "/").last.map(String.init) ?? path
    }

    public static func join(_ directory: String, _ path: String) -> String {
        if path.hasPrefix("/") { return normalize(path) }
        if directory == "." { return normalize(path) }
        return normalize(directory + "/" + path)
    }
}
