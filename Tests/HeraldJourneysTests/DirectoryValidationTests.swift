import Foundation
import Testing
@testable import HeraldJourneys

@Suite struct DirectoryValidationTests {
    @Test func duplicateVersionsAcrossFilesAreReported() throws {
        let directory = FileManager.default.temporaryDirectory.appendingPathComponent("journeys-\(UUID().uuidString)")
        try FileManager.default.createDirectory(at: directory, withIntermediateDirectories: true)
        defer { try? FileManager.default.removeItem(at: directory) }
        try Data(Fixture.cartJourney().utf8).write(to: directory.appendingPathComponent("a.json"))
        try Data(Fixture.cartJourney().utf8).write(to: directory.appendingPathComponent("b.json"))
        let issues = JourneyValidator.validate(directory: directory)
        #expect(issues.map(\.path) == ["$.id"])
        #expect(issues.first?.file.hasSuffix("b.json") == true)
        #expect(throws: JourneyCatalogError.self) { try JourneyCatalog.load(directory: directory) }
        #expect(JourneyValidator.validate(directory: Fixture.root.appendingPathComponent("config/journeys")).isEmpty)
    }
}
