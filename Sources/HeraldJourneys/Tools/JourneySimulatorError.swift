/// Why a simulation could not run.
public enum JourneySimulatorError: Error, Sendable, Equatable, CustomStringConvertible {
    /// The journeys directory could not be loaded.
    case catalog(JourneyCatalogError)
    /// The events file could not be read.
    case unreadableEvents(file: String, reason: String)
    /// A line of the events file is not a valid event.
    case badEvent(file: String, line: Int, reason: String)

    /// A message naming the file and line.
    public var description: String {
        switch self {
        case .catalog(let error): return error.description
        case .unreadableEvents(let file, let reason): return "\(file): cannot read: \(reason)"
        case .badEvent(let file, let line, let reason): return "\(file):\(line): \(reason)"
        }
    }
}
