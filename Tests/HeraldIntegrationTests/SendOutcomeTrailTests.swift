import Foundation
import HeraldCore
import HeraldFleet
import HeraldJourneys
import HeraldTestSupport
import Testing

/// Each send's outcome in the user's compact trail, written by the sender, and shown by
/// `heraldctl trail` next to the decision that requested it, against a real SMTP server that
/// refuses one mailbox.
@Suite struct SendOutcomeTrailTests {
    @Test func trailShowsEachSendsOutcomeNextToItsRequestAndNoOlderTrailStreamIsWritten() async throws {
        let smtp = try await FleetPeer.smtp()
        let fleet = try FleetHarness(journeys: [DeliveryFeedbackTests.promo])
        try await fleet.publishJourneys()
        let connection = fleet.redis.connection()
        for name in ["herald-ingestor", "herald-evaluator", "herald-scheduler"] { try fleet.start(name) }
        try fleet.start("herald-email-sender", ["HERALD_SMTP_URL": "smtp://127.0.0.1:\(smtp.port)?tls=none", "HERALD_EMAIL_FROM": "shop@herald.test"])
        // The peer answers 550 at RCPT TO for local parts starting with "reject".
        try await fleet.produce(connection, [
            TestJourneys.identify("reject-rae", messageId: "i-rae"), TestJourneys.identify("sam", messageId: "i-sam"),
            TestJourneys.track("reject-rae", "Promo Viewed", messageId: "p-rae"), TestJourneys.track("sam", "Promo Viewed", messageId: "p-sam"),
        ])
        #expect(try await eventually(timeout: 20) {
            let statuses = Set(try await fleet.deliveries(connection).compactMap { $0["status"] })
            return statuses.contains("bounced") && statuses.contains("sent")
        })
        #expect(try await eventually { try await fleet.drained(connection) })

        let refused = try CtlRunner.run(fleet, ["trail", "reject-rae"])
        #expect(refused.code == 0)
        let request = refused.output.split(separator: "\n").first { $0.contains("sendRequested:") } ?? ""
        #expect(request.contains("→ failed: Failed for good (bounced)") && request.contains("550"), "\(refused.output)")
        #expect(!request.contains("exited"), "the outcome, not the instance's exit, is next to the request: \(request)")
        #expect(refused.output.contains("  failed: Failed for good (bounced)"), "and the outcome has its own line: \(refused.output)")

        let sent = try CtlRunner.run(fleet, ["trail", "sam"])
        let samRequest = sent.output.split(separator: "\n").first { $0.contains("sendRequested:") } ?? ""
        #expect(samRequest.contains("→ sent: Sent by smtp"), "\(sent.output)")

        for user in ["reject-rae", "sam"] {
            let partition = fleet.keyspace.partition(ofUser: user)
            #expect(try await connection.send("EXISTS", fleet.keyspace.trail(partition, user: user)).int == 0, "no trail stream of the older form")
            let log = fleet.keyspace.trailLog(partition, user: user)
            #expect(try await connection.send("PTTL", log).int ?? -1 > 0, "the outcome leaves the trail with an expiry")
            let records = (try await connection.send("LRANGE", log, 0, -1).array ?? []).compactMap(\.string)
                .compactMap { TrailRecord.decodeEntry($0) }.flatMap(\.records)
            let outcome = try #require(records.first { TrailRecord.outcomeCodes.contains($0.code) })
            let requested = try #require(records.first { $0.code == "sendRequested" })
            #expect(outcome.sendKey == requested.sendKey && outcome.journey == "test-promo" && outcome.step == "promo")
        }
        _ = fleet.stopAll()
    }
}
