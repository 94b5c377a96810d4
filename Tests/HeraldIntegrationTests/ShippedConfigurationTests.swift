import Foundation
import HeraldCore
import HeraldJourneys
import HeraldTemplates
import HeraldTestSupport
import Testing

/// The shipped journeys and templates fit together: every send step names a template that exists
/// and has the parts its channel needs, in every shipped locale variant's fallback.
@Suite struct ShippedConfigurationTests {
    @Test func everySendStepHasACompleteTemplateForItsChannel() throws {
        let config = Executables.packageRoot.appendingPathComponent("config")
        let library = try TemplateLibrary(directory: config.appendingPathComponent("templates"))
        let catalog = try JourneyCatalog.load(directory: config.appendingPathComponent("journeys"))
        var checked = 0
        for id in catalog.ids {
            let data = try Data(contentsOf: config.appendingPathComponent("journeys/\(id).json"))
            for (template, channel) in Self.sends(in: try JSONValue.parse(Array(data))) {
                for locale in [nil, "en-US", "ja-JP", "pt-BR"] {
                    let message = try library.message(named: template, locale: locale)
                    #expect(message.missingParts(for: channel).isEmpty, "\(id): '\(template)' on \(channel) lacks \(message.missingParts(for: channel))")
                }
                checked += 1
            }
        }
        #expect(checked >= 12, "every shipped journey's sends were checked (\(checked))")
    }

    static func sends(in value: JSONValue) -> [(String, Channel)] {
        switch value {
        case .object(let members):
            var found: [(String, Channel)] = []
            if let send = members["send"], let template = send["template"]?.stringValue,
                let channel = send["channel"]?.stringValue.flatMap(Channel.init(rawValue:))
            {
                found.append((template, channel))
            }
            return found + members.values.flatMap(sends)
        case .array(let elements): return elements.flatMap(sends)
        default: return []
        }
    }
}
