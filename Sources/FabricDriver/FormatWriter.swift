import FabricBase
import FabricSyntax
import Foundation

#if canImport(Glibc)
    import Glibc
#endif

/// Replaces a source file with its formatted text atomically (a temporary
/// file beside it, then a rename), keeping its permissions and owner and
/// following a symlink to the file it names: an editor or a
/// killed `fabricc fmt` never sees half a file.
public enum FormatWriter {
    public static func replace(_ given: String, with data: Data) -> Bool {
        // A symlink stays a symlink: its target is what gets formatted.
        let path = URL(fileURLWithPath: given).resolvingSymlinksInPath().path
        var st = stat()
        guard stat(path, &st) == 0 else { return false }
        let temporary =
            "\(Paths.directory(of: path))/.\(URL(fileURLWithPath: path).lastPathComponent).fabricc-fmt-\(getpid())"
        do {
            try OutputWriter.writeNew(temporary, data, mode: st.st_mode & 0o7777)
        } catch {
            return false
        }
        if st.st_uid != getuid() || st.st_gid != getgid() { chown(temporary, st.st_uid, st.st_gid) }
        guard rename(temporary, path) == 0 else {
            unlink(temporary)
            return false
        }
        return true
    }
}
