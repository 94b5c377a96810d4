import HeraldCore

/// The languages of the unsubscribe and preference pages, and every string they show.
public enum PreferenceLocale: String, Sendable, CaseIterable {
    /// English.
    case english = "en"
    /// Japanese.
    case japanese = "ja"

    /// The page's language: `lang` from the link if it names one Herald has, else the best of the
    /// browser's `Accept-Language` (RFC 9110 quality values), else English.
    public static func choose(lang: String?, acceptLanguage: String?) -> PreferenceLocale {
        if let lang, let chosen = match(lang) { return chosen }
        guard let acceptLanguage else { return .english }
        let ranges = acceptLanguage.split(separator: ",").enumerated().compactMap { index, part -> (tag: String, quality: Double, index: Int)? in
            let pieces = part.split(separator: ";").map { String($0).trimmingCharacters(in: .whitespaces) }
            guard let tag = pieces.first, !tag.isEmpty else { return nil }
            var quality = 1.0
            for piece in pieces.dropFirst() where piece.lowercased().hasPrefix("q=") {
                quality = Double(piece.dropFirst(2)) ?? 0
            }
            return (tag, quality, index)
        }
        let ordered = ranges.filter { $0.quality > 0 }.sorted { ($0.quality, -$0.index) > ($1.quality, -$1.index) }
        return ordered.lazy.compactMap { match($0.tag) }.first ?? .english
    }

    private static func match(_ tag: String) -> PreferenceLocale? {
        let primary = tag.split(separator: "-").first.map { $0.lowercased() } ?? ""
        return PreferenceLocale(rawValue: primary)
    }

    /// The channels a person chooses on the page, in the order shown.
    public static let channels: [Channel] = [.email, .sms, .push, .inapp]

    /// A channel's name.
    public func name(of channel: Channel) -> String {
        switch (self, channel) {
        case (.english, .email): return "Email"
        case (.english, .sms): return "SMS and WhatsApp"
        case (.english, .push): return "Push notifications"
        case (.english, .inapp): return "In-app messages"
        case (.english, .webhook): return "Webhooks"
        case (.japanese, .email): return "メール"
        case (.japanese, .sms): return "SMS・WhatsApp"
        case (.japanese, .push): return "プッシュ通知"
        case (.japanese, .inapp): return "アプリ内メッセージ"
        case (.japanese, .webhook): return "Webhook"
        }
    }

    /// A category's name.
    public func name(of category: MessageCategory?) -> String {
        switch (self, category) {
        case (.english, .marketing?): return "News and offers"
        case (.english, .transactional?): return "Account and order messages"
        case (.english, nil): return "All messages"
        case (.japanese, .marketing?): return "お知らせ・キャンペーン"
        case (.japanese, .transactional?): return "アカウント・ご注文に関する連絡"
        case (.japanese, nil): return "すべてのメッセージ"
        }
    }

    var title: String { self == .english ? "Your message preferences" : "配信設定" }
    func intro(channel: Channel, category: MessageCategory?) -> String {
        switch self {
        case .english: return "You asked to stop “\(name(of: category))” by \(name(of: channel).lowercased())."
        case .japanese: return "\(name(of: channel))での「\(name(of: category))」の配信停止を受け付けます。"
        }
    }
    var unsubscribeButton: String { self == .english ? "Unsubscribe" : "配信を停止する" }
    var orChoose: String { self == .english ? "Or choose what you still want to receive:" : "または、受け取りたいものを選んでください:" }
    var saveButton: String { self == .english ? "Save my choices" : "設定を保存する" }
    var unsubscribedTitle: String { self == .english ? "You are unsubscribed" : "配信を停止しました" }
    func unsubscribedText(channel: Channel, category: MessageCategory?) -> String {
        switch self {
        case .english: return "You will no longer receive “\(name(of: category))” by \(name(of: channel).lowercased())."
        case .japanese: return "今後、\(name(of: channel))で「\(name(of: category))」はお送りしません。"
        }
    }
    var savedTitle: String { self == .english ? "Your choices are saved" : "設定を保存しました" }
    var receiving: String { self == .english ? "You will receive:" : "今後お送りするもの:" }
    var receivingNothing: String { self == .english ? "Nothing: every message is off." : "すべての配信を停止しました。" }
    var changeAgain: String { self == .english ? "Change my choices" : "設定を変更する" }
    var invalidTitle: String { self == .english ? "This link does not work" : "このリンクは無効です" }
    var invalidText: String {
        self == .english
            ? "It is incomplete or was changed, so nothing was changed. Use the link in your latest message."
            : "リンクが不完全か改変されているため、設定は変更されていません。最新のメッセージのリンクをお使いください。"
    }
    var expiredTitle: String { self == .english ? "This link has expired" : "このリンクは有効期限切れです" }
    var expiredText: String {
        self == .english
            ? "Nothing was changed. Use the link in your latest message."
            : "設定は変更されていません。最新のメッセージのリンクをお使いください。"
    }
    var unavailableTitle: String { self == .english ? "Please try again in a moment" : "しばらくしてからもう一度お試しください" }
    var unavailableText: String {
        self == .english
            ? "We could not record your choice just now, so nothing was changed."
            : "ただいま設定を記録できなかったため、変更されていません。"
    }
    var currentUnknown: String {
        self == .english
            ? "Your current choices could not be loaded; the boxes show the default."
            : "現在の設定を読み込めなかったため、既定の状態を表示しています。"
    }
}
