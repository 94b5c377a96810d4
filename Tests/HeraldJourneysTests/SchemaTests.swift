import Foundation
import HeraldCore
import Testing
@testable import HeraldJourneys

@Suite struct SchemaTests {
    static func schema() throws -> JSONValue {
        try JSONValue.parse(Array(Data(contentsOf: Fixture.root.appendingPathComponent("config/schema/journey.schema.json"))))
    }

    @Test func schemaNamesEveryStepKindChannelAndOperator() throws {
        let schema = try Self.schema()
        #expect(schema["$schema"] == "https://json-schema.org/draft/2020-12/schema")
        let step = try #require(schema.value(atPath: "$defs.step.properties")?.objectValue)
        for kind in JourneyStepKind.allCases { #expect(step[kind.rawValue] != nil, "\(kind)") }
        let channels = schema.value(atPath: "$defs.step.properties.send.properties.channel.enum")?.arrayValue?.compactMap(\.stringValue)
        #expect(channels == Channel.allCases.map(\.rawValue))
        let operators = schema.value(atPath: "$defs.condition.oneOf.0.properties.op.enum")?.arrayValue?.compactMap(\.stringValue)
        #expect(operators == ConditionOperator.allCases.map(\.rawValue))
        let reentry = schema.value(atPath: "$defs.entry.properties.reentry.enum")?.arrayValue?.compactMap(\.stringValue)
        #expect(reentry == ReentryPolicy.allCases.map(\.rawValue))
        let triggers = schema.value(atPath: "$defs.trigger.properties")?.objectValue?.keys.sorted()
        #expect(triggers == JourneyValidator.nestedMembers["trigger"]?.sorted())
    }

    @Test func schemaNamesTheAudienceAndExitMembersTheValidatorAccepts() throws {
        let schema = try Self.schema()
        let audience = schema.value(atPath: "$defs.trigger.properties.audience.properties")?.objectValue?.keys.sorted()
        #expect(audience == JourneyValidator.nestedMembers["audience"]?.sorted())
        let exit = schema.value(atPath: "properties.exit.properties")?.objectValue?.keys.sorted()
        #expect(exit == JourneyValidator.nestedMembers["exit"]?.sorted())
    }

    @Test func schemaNamesTheCalendarAndSplitMembersTheValidatorAccepts() throws {
        let schema = try Self.schema()
        let assignment = schema.value(atPath: "$defs.step.properties.split.properties.assignment.enum")?.arrayValue?.compactMap(\.stringValue)
        #expect(assignment == SplitAssignment.allCases.map(\.rawValue))
        let split = schema.value(atPath: "$defs.step.properties.split.properties")?.objectValue?.keys.sorted()
        #expect(split == JourneyValidator.nestedMembers["split"]?.sorted())
        let every = schema.value(atPath: "$defs.calendarRule.properties.every.enum")?.arrayValue?.compactMap(\.stringValue)
        #expect(every == CalendarPeriod.allCases.map(\.rawValue))
        let rule = schema.value(atPath: "$defs.calendarRule.properties")?.objectValue?.keys.sorted()
        #expect(rule == JourneyValidator.nestedMembers["recurring"]?.sorted())
        let date = schema.value(atPath: "$defs.trigger.properties.date.properties")?.objectValue?.keys.sorted()
        #expect(date == JourneyValidator.nestedMembers["date"]?.sorted())
        let weekdays = schema.value(atPath: "$defs.weekday.enum")?.arrayValue?.compactMap(\.stringValue)
        #expect(weekdays == Weekday.allCases.map(\.rawValue))
    }
}
