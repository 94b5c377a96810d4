extension OutboxEmailProvider {
    /// Where the outbox writes and the sender it puts on each email.
    public struct Configuration: Sendable, Hashable {
        /// The directory for `.eml` files (created when missing).
        public var directory: String
        /// The From address.
        public var from: String
        /// The From display name.
        public var fromName: String?

        /// Creates a configuration.
        public init(directory: String = ".herald/outbox", from: String, fromName: String? = nil) {
            self.directory = directory
            self.from = from
            self.fromName = fromName
        }

        /// Reads `HERALD_OUTBOX_DIR` (default `.herald/outbox`), `HERALD_EMAIL_FROM` (default
        /// `herald@localhost`) and `HERALD_EMAIL_FROM_NAME`.
        public init(environment: CredentialSource) {
            self.init(
                directory: environment.value("HERALD_OUTBOX_DIR") ?? ".herald/outbox",
                from: environment.value("HERALD_EMAIL_FROM") ?? "herald@localhost",
                fromName: environment.value("HERALD_EMAIL_FROM_NAME"))
        }
    }
}
