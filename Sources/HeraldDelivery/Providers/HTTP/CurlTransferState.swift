import Foundation

/// What libcurl's callbacks read from and write to during one transfer, reached through `userdata`.
final class CurlTransferState {
    /// The response body received so far.
    var body: [UInt8] = []
    /// The header fields of the latest response seen (reset at every status line, so 1xx are dropped).
    var headers: [(name: String, value: String)] = []
    /// The bytes to upload (SMTP message data).
    let upload: [UInt8]
    /// How many upload bytes the read callback has handed over.
    var uploadOffset = 0

    init(upload: [UInt8] = []) {
        self.upload = upload
    }

    /// Records one header line as libcurl delivers it (`Name: value\r\n`, a status line, or the blank line).
    func receiveHeaderLine(_ bytes: UnsafeRawBufferPointer) {
        var line = String(decoding: bytes, as: UTF8.self)
        while line.last?.isNewline == true { line.removeLast() }
        if line.hasPrefix("HTTP/") {
            headers.removeAll()
            return
        }
        guard let colon = line.firstIndex(of: ":") else { return }
        let name = line[..<colon].trimmingCharacters(in: .whitespaces)
        let value = line[line.index(after: colon)...].trimmingCharacters(in: .whitespaces)
        headers.append((name: name, value: value))
    }

    /// Copies up to `capacity` upload bytes into `destination` and returns how many it copied (0 at the end).
    func readUpload(into destination: UnsafeMutableRawPointer, capacity: Int) -> Int {
        let count = min(capacity, upload.count - uploadOffset)
        guard count > 0 else { return 0 }
        upload.withUnsafeBytes { source in
            destination.copyMemory(from: source.baseAddress! + uploadOffset, byteCount: count)
        }
        uploadOffset += count
        return count
    }
}
