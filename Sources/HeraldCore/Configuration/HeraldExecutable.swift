/// The executables that read Herald's configuration, for the variable table and each `--help`.
public enum HeraldExecutable: String, Sendable, Hashable, CaseIterable, Comparable {
    /// `herald-ingestor`.
    case ingestor = "herald-ingestor"
    /// `herald-evaluator`.
    case evaluator = "herald-evaluator"
    /// `herald-scheduler`.
    case scheduler = "herald-scheduler"
    /// `herald-email-sender`.
    case emailSender = "herald-email-sender"
    /// `herald-sms-sender`.
    case smsSender = "herald-sms-sender"
    /// `herald-push-sender`.
    case pushSender = "herald-push-sender"
    /// `herald-webhook-sender`.
    case webhookSender = "herald-webhook-sender"
    /// `herald-inapp-sender`.
    case inappSender = "herald-inapp-sender"
    /// `herald-edge`.
    case edge = "herald-edge"
    /// `heraldctl`.
    case ctl = "heraldctl"
    /// `herald-bench`.
    case bench = "herald-bench"

    /// Every channel's sender.
    public static let senders: Set<HeraldExecutable> = [.emailSender, .smsSender, .pushSender, .webhookSender, .inappSender]
    /// The processes that read streams with a `StreamWorker` (consumer groups, claims, dead letters).
    public static let streamWorkers: Set<HeraldExecutable> = senders.union([.ingestor, .evaluator])
    /// The long-running fleet processes (health and metrics, logs).
    public static let fleet: Set<HeraldExecutable> = streamWorkers.union([.scheduler, .edge])
    /// Every executable.
    public static let everyone: Set<HeraldExecutable> = Set(allCases)

    /// The sender of `channel`.
    public static func sender(_ channel: Channel) -> HeraldExecutable {
        switch channel {
        case .email: return .emailSender
        case .sms: return .smsSender
        case .push: return .pushSender
        case .webhook: return .webhookSender
        case .inapp: return .inappSender
        }
    }

    /// Orders by declaration, as the table lists them.
    public static func < (lhs: HeraldExecutable, rhs: HeraldExecutable) -> Bool {
        allCases.firstIndex(of: lhs)! < allCases.firstIndex(of: rhs)!
    }
}
