import Foundation
import HeraldCore

/// The embedded default for channels without a configured provider (SMS, push, webhook): one JSON
/// file per message in `<directory>/<channel>/`, named after the idempotency key so a retry
/// replaces rather than duplicates it. Useful for demos and for inspecting what would go out.
public struct OutboxFileProvider: MessageProvider {
    /// `outbox-<channel>`.
    public let name: String
    private let directory: URL

    /// Creates a provider writing under `directory/<channel>`.
    public init(directory: URL, channel: Channel) {
        self.name = "outbox-" + channel.rawValue
        self.directory = directory.appendingPathComponent(channel.rawValue, isDirectory: true)
    }

    /// Writes the message atomically (temporary file, then rename).
    public func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        var members: [String: JSONValue] = [
            "channel": .string(message.channel.rawValue), "to": .string(message.recipient),
            "userId": .string(message.userId), "idempotencyKey": .string(message.idempotencyKey),
            "category": .string(message.category.rawValue),
        ]
        if let subject = message.subject { members["subject"] = .string(subject) }
        if let text = message.text { members["text"] = .string(text) }
        if let payload = message.payload { members["payload"] = payload }
        let safe = String(message.idempotencyKey.map { $0.isLetter || $0.isNumber || $0 == "-" || $0 == "_" ? $0 : "_" })
        let target = directory.appendingPathComponent(safe + ".json")
        do {
            try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
            let temporary = directory.appendingPathComponent(".\(safe).\(UUID().uuidString).tmp")
            try Data((JSONValue.object(members).serialized() + "\n").utf8).write(to: temporary)
            if FileManager.default.fileExists(atPath: target.path) { try FileManager.default.removeItem(at: target) }
            try FileManager.default.moveItem(at: temporary, to: target)
        } catch {
            throw .retryable(reason: "cannot write \(target.lastPathComponent): \(error.localizedDescription)")
        }
        return ProviderReceipt(providerMessageId: safe)
    }
}
