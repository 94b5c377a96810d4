/// A test peer failed to start or answer.
struct PeerError: Error, CustomStringConvertible {
    /// What went wrong.
    let message: String
    var description: String { message }
}
