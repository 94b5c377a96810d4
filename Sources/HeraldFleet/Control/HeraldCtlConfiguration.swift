import Foundation
import HeraldCore

/// Everything `heraldctl` reads from its environment, typed and checked once at start; defaults
/// are the variable table's (`ConfigurationCatalogue`).
public struct HeraldCtlConfiguration: Sendable {
    /// Redis and the keyspace.
    public var fleet: FleetConfiguration
    /// `{{brand.name}}` when `journeys simulate --render` renders (`HERALD_BRAND_NAME`).
    public var brandName: String
    /// The directory of `journeys/` and `templates/` as set (`HERALD_CONFIG_DIR`); `nil`: journeys
    /// are checked against the `templates` beside them.
    public var configDirectory: String?

    /// Reads heraldctl's configuration; a bad or unknown variable is an error naming it.
    public init(environment: [String: String] = ProcessInfo.processInfo.environment) throws {
        try self.init(reader: ConfigurationReader(environment: environment, executable: .ctl))
    }

    /// Reads heraldctl's configuration through `reader`.
    public init(reader: ConfigurationReader) throws {
        fleet = try FleetConfiguration(reader: reader)
        brandName = try reader.text("HERALD_BRAND_NAME")
        configDirectory = try reader.textIfSet("HERALD_CONFIG_DIR")
    }
}
