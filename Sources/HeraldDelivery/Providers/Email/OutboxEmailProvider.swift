import Foundation

/// The embedded default email provider: writes each email as one `.eml` file into a directory
/// instead of sending it, for development, tests and demos.
///
/// The file name comes from the idempotency key, so a retried delivery overwrites the earlier file
/// rather than adding a second one. Files are written to a temporary name and renamed into place,
/// so a reader never sees half a message.
public struct OutboxEmailProvider: MessageProvider {
    /// Where and as whom it writes.
    public let configuration: Configuration

    /// Creates the provider; the directory is created on first delivery.
    public init(configuration: Configuration) {
        self.configuration = configuration
    }

    /// `outbox`.
    public var name: String { "outbox" }

    /// Writes the email and returns its Message-ID; `details["path"]` is the file written.
    public func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        guard MIMEMessage.isPlausibleAddress(message.recipient) else {
            throw .invalidRecipient(reason: "not an email address")
        }
        let mime = MIMEMessage(message: message, from: configuration.from, fromName: configuration.fromName)
        let path = try write(mime.bytes, name: OutboxEmailProvider.fileName(forKey: message.idempotencyKey))
        return ProviderReceipt(providerMessageId: mime.messageID, details: ["path": path])
    }

    /// A file name for `key` that is safe on any file system and distinct for distinct keys:
    /// letters, digits, `-` and `_` stay, every other byte becomes `%XX`; keys too long for a file
    /// name are shortened and suffixed with their SHA-256.
    static func fileName(forKey key: String) -> String {
        var name = ""
        for byte in key.utf8 {
            switch byte {
            case UInt8(ascii: "a")...UInt8(ascii: "z"), UInt8(ascii: "A")...UInt8(ascii: "Z"),
                UInt8(ascii: "0")...UInt8(ascii: "9"), UInt8(ascii: "-"), UInt8(ascii: "_"):
                name.append(Character(UnicodeScalar(byte)))
            default:
                name += String(format: "%%%02X", byte)
            }
        }
        if name.isEmpty { name = "%" }
        if name.utf8.count > 180 {
            name = String(name.prefix(100)) + "~" + Digest.hex(Digest.sha256(Array(key.utf8)))
        }
        return name + ".eml"
    }

    private func write(_ bytes: [UInt8], name: String) throws(ProviderError) -> String {
        let directory = configuration.directory
        do {
            try FileManager.default.createDirectory(atPath: directory, withIntermediateDirectories: true)
        } catch {
            throw .retryable(reason: "cannot create outbox directory \(directory): \((error as NSError).localizedDescription)")
        }
        let finalPath = (directory as NSString).appendingPathComponent(name)
        // The temporary name starts with a dot so directory watchers that skip dot files never see it.
        let temporaryPath = (directory as NSString).appendingPathComponent(".\(UUID().uuidString).tmp")
        let descriptor = open(temporaryPath, O_WRONLY | O_CREAT | O_EXCL | O_CLOEXEC, 0o644)
        guard descriptor >= 0 else { throw failure("open", temporaryPath) }
        var written = 0
        while written < bytes.count {
            let count = bytes.withUnsafeBytes { buffer in
                Foundation.write(descriptor, buffer.baseAddress! + written, buffer.count - written)
            }
            if count < 0 {
                if errno == EINTR { continue }
                let error = failure("write", temporaryPath)
                close(descriptor)
                unlink(temporaryPath)
                throw error
            }
            written += count
        }
        if fsync(descriptor) != 0 || close(descriptor) != 0 {
            let error = failure("sync", temporaryPath)
            unlink(temporaryPath)
            throw error
        }
        guard rename(temporaryPath, finalPath) == 0 else {
            let error = failure("rename", finalPath)
            unlink(temporaryPath)
            throw error
        }
        return finalPath
    }

    // A full disk or a permissions fix may make the next attempt work, so file errors are retryable.
    private func failure(_ operation: String, _ path: String) -> ProviderError {
        .retryable(reason: "outbox \(operation) failed for \(path): \(String(cString: strerror(errno)))")
    }
}
