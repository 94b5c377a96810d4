import HeraldCore
import HeraldFleet
import Testing

/// `HERALD_DELIVERIES_MAX`: how many records `herald:deliveries` keeps, read by the senders and
/// the evaluator.
@Suite struct DeliveryLogRetentionTests {
    @Test func theCountDefaultsToAMillionAndIsReadFromTheEnvironment() throws {
        #expect(try DeliveryLogRetention.fromEnvironment([:]) == .standard)
        #expect(DeliveryLogRetention.standard.maxLength == 1_000_000)
        #expect(try DeliveryLogRetention.fromEnvironment(["HERALD_DELIVERIES_MAX": ""]) == .standard)
        #expect(try DeliveryLogRetention.fromEnvironment(["HERALD_DELIVERIES_MAX": "2000"]).maxLength == 2_000)
    }

    @Test func aCountThatIsNotPositiveOrNotANumberIsRefusedByName() {
        for text in ["0", "-1", "many", "1e6"] {
            do {
                let read = try DeliveryLogRetention.fromEnvironment(["HERALD_DELIVERIES_MAX": text])
                Issue.record("\(text) was accepted as \(read.maxLength)")
            } catch {
                #expect("\(error)".contains("HERALD_DELIVERIES_MAX=\(text)"), "\(error)")
            }
        }
    }
}
