import Foundation
import HeraldCore
import Testing

/// `DeferredSend` is the one writer and reader of a held-back send's timer member and payload.
@Suite struct DeferredSendTests {
    private func request(channel: Channel = .sms, attempt: Int = 2) -> SendRequest {
        SendRequest(
            idempotencyKey: "cart:u1:remind", userId: "u1", journey: "cart", instanceId: "i1", step: "remind", channel: channel,
            template: "cart-reminder", context: ["vars": .object(["n": 3])], requestedAt: Date(unixMilliseconds: Date().unixMilliseconds), attempt: attempt)
    }

    @Test func aPayloadReadsBackAsTheSendItWasWrittenFrom() throws {
        let due = Date().addingTimeInterval(3600)
        let deferred = DeferredSend(request: request(), due: due)
        #expect(deferred.member == "send|cart:u1:remind|2|\(due.unixMilliseconds)")
        #expect(deferred.payload.hasPrefix("send:sms\n{"))
        let read = try DeferredSend(payload: deferred.payload, dueMilliseconds: due.unixMilliseconds)
        #expect(read.request == deferred.request)
        #expect(read.due.unixMilliseconds == due.unixMilliseconds)
    }

    @Test func aJourneyTimersPayloadOrADamagedOneIsRefusedWithTheReason() {
        let now = Date().unixMilliseconds
        #expect(throws: DeferredSendDecodingError.notADeferredSend) { try DeferredSend(payload: #"{"journey":"cart"}"#, dueMilliseconds: now) }
        #expect(throws: DeferredSendDecodingError.unknownChannel("pigeon")) { try DeferredSend(payload: "send:pigeon\n{}", dueMilliseconds: now) }
        #expect(throws: DeferredSendDecodingError.self) { try DeferredSend(payload: "send:sms\n{not json", dueMilliseconds: now) }
        let email = DeferredSend(request: request(channel: .email), due: Date()).payload
        let refiled = "send:sms\n" + email.drop { $0 != "\n" }.dropFirst()
        #expect(throws: DeferredSendDecodingError.channelMismatch(payload: .sms, request: .email)) { try DeferredSend(payload: refiled, dueMilliseconds: now) }
    }

    @Test func itIsScheduledAsOneTransactionOfPayloadThenMember() {
        let keyspace = Keyspace(prefix: "t", partitions: 4)
        let deferred = DeferredSend(request: request(), due: Date())
        let words = deferred.commands(keyspace, partition: 1).map { $0.arguments.first.map { String(decoding: $0, as: UTF8.self) } ?? "" }
        #expect(words == ["MULTI", "HSET", "ZADD", "EXEC"])
    }
}
