import Foundation

/// LSP's base protocol on a byte stream: `Content-Length: N\r\n\r\n` then N
/// bytes of JSON. Reads tolerate any garbage: a bad header is skipped to the
/// next blank line, a missing length drops the message; nothing throws.
struct MessageReader {
    let fd: Int32
    var buffer: [UInt8] = []
    /// Messages longer than this are refused (and skipped), not buffered.
    static let maxMessage = 64 << 20

    init(fd: Int32) { self.fd = fd }

    enum Next {
        case message(Data)
        /// Framing that could not be read; the stream goes on after it.
        case malformed(String)
        case end
    }

    mutating func next() -> Next {
        while true {
            // Headers end at the first blank line.
            if let end = find([13, 10, 13, 10]) {
                let header = String(decoding: buffer[..<end], as: UTF8.self)
                buffer.removeFirst(end + 4)
                var length: Int?
                for line in header.split(separator: "\r\n") {
                    let parts = line.split(separator: ":", maxSplits: 1)
                    if parts.count == 2, parts[0].trimmingCharacters(in: .whitespaces).lowercased() == "content-length"
                    {
                        length = Int(parts[1].trimmingCharacters(in: .whitespaces))
                    }
                }
                guard let length, length >= 0, length <= Self.maxMessage else {
                    return .malformed("a header without a usable Content-Length")
                }
                while buffer.count < length {
                    guard fill() else { return .end }
                }
                let body = Data(buffer[..<length])
                buffer.removeFirst(length)
                return .message(body)
            }
            if buffer.count > 1 << 16 {
                buffer.removeAll()
                return .malformed("headers longer than 64 KiB")
            }
            guard fill() else { return .end }
        }
    }

    func find(_ needle: [UInt8]) -> Int? {
        guard buffer.count >= needle.count else { return nil }
        for i in 0...(buffer.count - needle.count) where buffer[i] == needle[0] {
            if Array(buffer[i..<(i + needle.count)]) == needle { return i }
        }
        return nil
    }

    mutating func fill() -> Bool {
        var chunk = [UInt8](repeating: 0, count: 65536)
        while true {
            let n = read(fd, &chunk, chunk.count)
            if n > 0 {
                buffer.append(contentsOf: chunk[..<n])
                return true
            }
            if n < 0 && errno == EINTR { continue }
            return false
        }
    }
}

/// Writes framed messages to a file descriptor (standard output), one at a
/// time: the only place the server writes.
final class MessageWriter: @unchecked Sendable {
    let fd: Int32
    let lock = NSLock()

    init(fd: Int32) { self.fd = fd }

    func send(_ body: Data) {
        var bytes = Array("Content-Length: \(body.count)\r\n\r\n".utf8)
        bytes.append(contentsOf: body)
        lock.lock()
        defer { lock.unlock() }
        var written = 0
        while written < bytes.count {
            let n = bytes[written...].withUnsafeBytes { write(fd, $0.baseAddress, $0.count) }
            if n < 0 {
                if errno == EINTR { continue }
                return  // the client went away
            }
            written += n
        }
    }
}
