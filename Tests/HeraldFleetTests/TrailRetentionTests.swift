import Testing
import HeraldFleet

/// How the trail's retention reads its two variables.
@Suite struct TrailRetentionTests {
    @Test func unsetVariablesKeepTheDefaults() throws {
        #expect(try TrailRetention.fromEnvironment([:]) == .standard)
    }

    @Test func eachVariableOverridesItsOwnLimit() throws {
        let retention = try TrailRetention.fromEnvironment(["HERALD_TRAIL_MAX": "25", "HERALD_TRAIL_MAX_AGE_MS": "60000"])
        #expect(retention == TrailRetention(maxLength: 25, maxAgeMilliseconds: 60_000))
    }

    @Test func aValueThatIsNotAnIntegerIsAnErrorNamingTheVariable() {
        do {
            _ = try TrailRetention.fromEnvironment(["HERALD_TRAIL_MAX": "lots"])
            Issue.record("a bad HERALD_TRAIL_MAX was accepted")
        } catch {
            #expect("\(error)".contains("HERALD_TRAIL_MAX"))
        }
    }
}
