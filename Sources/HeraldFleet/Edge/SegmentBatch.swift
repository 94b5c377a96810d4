import Foundation
import HeraldCore

/// A Tracking API request body turned into messages: pure, the same for every endpoint.
///
/// Each message is enriched as Segment does server-side: `type` from a single-message endpoint,
/// a `messageId` when missing, `receivedAt`, `timestamp` = receive time when missing, and clock-skew
/// correction (`timestamp = receivedAt − (sentAt − timestamp)`, the client's value kept as
/// `originalTimestamp`) when `sentAt` is given on the message or the batch, and an identify's
/// `context.traits` as its `traits` when it has none (RudderStack's SDKs). `writeKey` is removed.
/// Then it goes through the ingestor's own validation (`Event.validate(members:)`, 32 KB).
public struct SegmentBatch: Sendable, Equatable {
    /// The `writeKey` member of the body, if any (the SDKs' alternative to Basic auth).
    public var writeKey: String?
    /// Every message, in order.
    public var messages: [SegmentMessage]

    /// Parses an inflated body for `endpoint`; `newMessageId` supplies missing ids.
    public static func parse(
        _ body: [UInt8], endpoint: SegmentEndpoint, receivedAt: Date, newMessageId: () -> String
    ) throws(SegmentAPIError) -> SegmentBatch {
        guard body.count <= endpoint.bodyLimit else { throw .tooLarge(limit: endpoint.bodyLimit) }
        let document: JSONValue
        do { document = try JSONValue.parse(body) } catch { throw .invalidJSON(error.description) }
        guard case .object(var members) = document else { throw .notAnObject }
        let writeKey = members.removeValue(forKey: "writeKey")?.stringValue
        let received = ISO8601.format(receivedAt)
        if !endpoint.isBatch {
            // The body as sent is what a rejection keeps; re-serialised only to drop a writeKey.
            let original = writeKey == nil ? body : Array(JSONValue.object(members).serialized().utf8)
            let message = enrich(members, original: original, type: endpoint.rawValue, batchSentAt: nil, receivedAt: receivedAt,
                                 received: received, newMessageId: newMessageId)
            return SegmentBatch(writeKey: writeKey, messages: [message])
        }
        guard let items = members["batch"]?.arrayValue else { throw .batchNotAnArray }
        let sentAt = members["sentAt"]
        var messages: [SegmentMessage] = []
        messages.reserveCapacity(items.count)
        for item in items {
            guard case .object(var fields) = item else {
                messages.append(.rejected(payload: Array(item.serialized().utf8), rejection: .notAnObject))
                continue
            }
            fields["writeKey"] = nil
            let original = Array(JSONValue.object(fields).serialized().utf8)
            messages.append(enrich(fields, original: original, type: nil, batchSentAt: sentAt, receivedAt: receivedAt,
                                   received: received, newMessageId: newMessageId))
        }
        return SegmentBatch(writeKey: writeKey, messages: messages)
    }

    static func enrich(
        _ input: [String: JSONValue], original: [UInt8], type: String?, batchSentAt: JSONValue?, receivedAt: Date, received: String,
        newMessageId: () -> String
    ) -> SegmentMessage {
        guard original.count <= SegmentLimits.messageBytes else {
            return .rejected(payload: original, rejection: .tooLarge(bytes: original.count, limit: SegmentLimits.messageBytes))
        }
        var members = input
        if let type { members["type"] = .string(type) }
        if members["messageId"] == nil || members["messageId"]?.isNull == true { members["messageId"] = .string(newMessageId()) }
        members["receivedAt"] = .string(received)
        // RudderStack's SDKs send an identify's traits as `context.traits`; its server reads them
        // there, so Herald does too when the message has no `traits` of its own.
        if members["type"] == "identify", members["traits"] == nil || members["traits"]?.isNull == true,
            let traits = members["context"]?["traits"], case .object = traits
        {
            members["traits"] = traits
        }
        let sentAt = (members["sentAt"] ?? batchSentAt)?.stringValue.flatMap(ISO8601.parse)
        switch members["timestamp"] {
        case nil, .null?:
            members["timestamp"] = .string(received)
        case .string(let text)?:
            if let sentAt, let stamp = ISO8601.parse(text) {
                members["originalTimestamp"] = .string(text)
                members["timestamp"] = .string(ISO8601.format(receivedAt.addingTimeInterval(-sentAt.timeIntervalSince(stamp))))
            }
        default:
            break
        }
        let payload = Array(JSONValue.object(members).serialized().utf8)
        guard payload.count <= SegmentLimits.messageBytes else {
            return .rejected(payload: original, rejection: .tooLarge(bytes: payload.count, limit: SegmentLimits.messageBytes))
        }
        do {
            _ = try Event.validate(members: members)
        } catch {
            return .rejected(payload: original, rejection: error)
        }
        return .accepted(payload: payload)
    }
}
