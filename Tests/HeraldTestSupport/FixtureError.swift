import Foundation

/// Fixture failures.
public enum FixtureError: Error, CustomStringConvertible {
    /// Something the fixture waited for did not happen in time.
    case timeout(String)
    /// A program, port or file the fixture needs is not there.
    case missing(String)

    /// What failed, for the test's output.
    public var description: String {
        switch self {
        case .timeout(let what): return "timed out: \(what)"
        case .missing(let what): return "missing: \(what)"
        }
    }
}
