import Foundation

/// Names that tell replicas apart, so `docker compose up --scale` gives each its own consumer.
public enum ProcessIdentity {
    /// `host-pid`, e.g. `a1b2c3d4e5f6-1`.
    public static var hostAndPID: String {
        "\(ProcessInfo.processInfo.hostName)-\(ProcessInfo.processInfo.processIdentifier)"
    }

    /// A consumer name for worker loop `index` of this process.
    public static func consumerName(index: Int = 0) -> String {
        index == 0 ? hostAndPID : "\(hostAndPID)-\(index)"
    }
}
