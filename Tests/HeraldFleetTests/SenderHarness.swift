import Foundation
import HeraldCore
import HeraldDelivery
import HeraldFleet
import HeraldTemplates

/// A sender for one channel on an `InMemorySenderStore` with a recording provider: no Redis.
struct SenderHarness {
    static let consumer = "host-a:email-sender:0"

    let store = InMemorySenderStore()
    let provider = SenderRecordingProvider()
    let keyspace = Keyspace()
    let metrics = Metrics()
    let configuration: SenderConfiguration

    /// A sender with a `welcome` email template; `caps` in `HERALD_FREQUENCY_CAPS` form.
    init(caps: String = "", uncertain: UncertainSendPolicies = UncertainSendPolicies()) throws {
        let templates = FileManager.default.temporaryDirectory.appendingPathComponent("herald-sender-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: templates.appendingPathComponent("welcome"), withIntermediateDirectories: true)
        try "Welcome, {{profile.firstName}}".write(to: templates.appendingPathComponent("welcome/subject.mustache"), atomically: true, encoding: .utf8)
        try "Hello {{profile.firstName}}, glad you are here.".write(to: templates.appendingPathComponent("welcome/text.mustache"), atomically: true, encoding: .utf8)
        configuration = SenderConfiguration(
            channel: .email, keyspace: keyspace,
            policy: DeliveryPolicy(frequencyCaps: caps.isEmpty ? FrequencyCapPolicy() : try FrequencyCapPolicy.parse(caps)),
            idempotency: IdempotencyPolicy(lease: 60, uncertain: uncertain),
            templates: try TemplateLibrary(directory: templates), unsubscribe: try UnsubscribeSigner(keys: [Array("sender-unit-test-key".utf8)]),
            unsubscribeBaseURL: "https://shop.example/unsubscribe", consumer: Self.consumer)
    }

    /// A fresh handler: a sender process that remembers nothing from earlier batches.
    func handler() -> SenderHandler {
        SenderHandler(configuration: configuration, provider: provider, metrics: metrics, logger: Logger(service: "herald-email-sender", minimumLevel: .error))
    }

    /// A user with an address and a name.
    func addUser(_ user: String) {
        store.setProfile(["email": .string("\(user)@example.com"), "firstName": .string(user.capitalized)], user: user)
    }

    func partition(_ user: String) -> Int { keyspace.partition(ofUser: user) }

    static func request(_ user: String, _ key: String, category: MessageCategory = .transactional, template: String = "welcome") -> SendRequest {
        SendRequest(
            idempotencyKey: key, userId: user, journey: "welcome", instanceId: "i-\(key)", step: "send", channel: .email,
            template: template, category: category, context: [:], requestedAt: Date())
    }

    /// Handles one batch of requests, as outbox entries, with `handler`.
    func handle(_ requests: [SendRequest], with handler: SenderHandler) async throws -> [EntryOutcome] {
        let entries = requests.enumerated().map { index, request in
            StreamEntry(stream: keyspace.outbox(partition(request.userId), .email), id: "\(index + 1)-0", fields: [("request", Array(request.json.serialized().utf8))])
        }
        return try await handler.handle(entries, store: store)
    }

    /// The records written for `key`, in order.
    func records(_ key: String) -> [SenderOutcomeRecord] {
        store.records.filter { $0.request.idempotencyKey == key }
    }

    /// A field of a delivery record.
    static func field(_ record: SenderOutcomeRecord?, _ name: String) -> String? {
        record?.delivery?.fields.first { $0.0 == name }?.1
    }
}
