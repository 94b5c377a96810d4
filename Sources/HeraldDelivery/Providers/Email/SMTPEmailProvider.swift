import CCurl
import Foundation

/// Sends email through an SMTP relay with libcurl (`smtp://` or `smtps://`, STARTTLS, AUTH).
///
/// Each delivery is one SMTP session on a dedicated worker thread: MAIL FROM, one RCPT TO, and the
/// MIME message uploaded as DATA. Reply codes map to the retry policy: 4xx is retryable, 5xx
/// permanent, and 550/551/553 on RCPT TO mean the address is bad.
public final class SMTPEmailProvider: MessageProvider {
    /// The relay and sender.
    public let configuration: Configuration
    private let pool: CurlWorkerPool

    /// Creates the provider with `workers` sending threads (that many sessions at once).
    public init(configuration: Configuration, workers: Int = 1) {
        self.configuration = configuration
        pool = CurlWorkerPool(count: workers, name: "herald-smtp")
    }

    /// `smtp`.
    public var name: String { "smtp" }

    /// The configured SMTP transfer timeout.
    public var callTimeout: TimeInterval { configuration.timeout }

    /// Sends `message`; the receipt's id is the Message-ID, `details["smtpReply"]` the final reply code.
    public func deliver(_ message: OutboundMessage) async throws(ProviderError) -> ProviderReceipt {
        guard MIMEMessage.isPlausibleAddress(message.recipient) else {
            throw .invalidRecipient(reason: "not an email address")
        }
        let mime = MIMEMessage(message: message, from: configuration.from, fromName: configuration.fromName)
        let configuration = configuration
        let recipient = message.recipient
        let bytes = mime.bytes
        let result = await pool.run { handle in
            SMTPEmailProvider.send(bytes, to: recipient, configuration: configuration, handle: handle)
        }
        let reply = try result.get()
        return ProviderReceipt(providerMessageId: mime.messageID, details: ["smtpReply": String(reply)])
    }

    private static func send(
        _ bytes: [UInt8], to recipient: String, configuration: Configuration, handle: UnsafeMutableRawPointer?
    ) -> Result<Int, ProviderError> {
        guard let handle else { return .failure(.retryable(reason: "smtp: libcurl could not allocate a handle")) }
        var easy = CurlEasy(handle: handle)
        defer { easy.release() }
        let state = CurlTransferState(upload: bytes)
        easy.attach(state)
        let provider = "smtp \(configuration.host):\(configuration.port)"
        let scheme = configuration.security == .implicitTLS ? "smtps" : "smtp"
        let host = configuration.host.contains(":") ? "[\(configuration.host)]" : configuration.host
        easy.set(CURLOPT_URL, "\(scheme)://\(host):\(configuration.port)/" + (configuration.heloDomain ?? ""), "URL")
        easy.set(CURLOPT_PROTOCOLS_STR, "smtp,smtps", "PROTOCOLS_STR")
        if configuration.security != .none { easy.set(CURLOPT_USE_SSL, Int(CURLUSESSL_ALL.rawValue), "USE_SSL") }
        if let caFile = configuration.caFile { easy.set(CURLOPT_CAINFO, caFile, "CAINFO") }
        if !configuration.verifyPeer {
            easy.set(CURLOPT_SSL_VERIFYPEER, 0, "SSL_VERIFYPEER")
            easy.set(CURLOPT_SSL_VERIFYHOST, 0, "SSL_VERIFYHOST")
        }
        if let username = configuration.username { easy.set(CURLOPT_USERNAME, username, "USERNAME") }
        if let password = configuration.password { easy.set(CURLOPT_PASSWORD, password.reveal(), "PASSWORD") }
        easy.set(CURLOPT_MAIL_FROM, "<\(configuration.from)>", "MAIL_FROM")
        let recipients = curl_slist_append(nil, "<\(recipient)>")
        defer { curl_slist_free_all(recipients) }
        easy.set(CURLOPT_MAIL_RCPT, list: recipients, "MAIL_RCPT")
        easy.set(CURLOPT_UPLOAD, 1, "UPLOAD")
        easy.set(CURLOPT_INFILESIZE_LARGE, offset: bytes.count, "INFILESIZE_LARGE")
        easy.set(CURLOPT_TIMEOUT_MS, max(1, Int(configuration.timeout * 1000)), "TIMEOUT_MS")
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(min(configuration.timeout, 10) * 1000)), "CONNECTTIMEOUT_MS")
        if let failure = easy.optionFailure {
            return .failure(.permanent(reason: "\(provider): libcurl refused \(failure.option): \(String(cString: curl_easy_strerror(failure.code)))"))
        }
        let code = easy.perform()
        var reply = easy.responseCode
        if code == CURLE_OK { return .success(reply) }
        let detail = easy.message(for: code)
        if reply == 0 { reply = SMTPEmailProvider.replyCode(in: detail) ?? 0 }
        return .failure(classify(code, reply: reply, detail: detail, provider: provider))
    }

    /// The first three-digit SMTP reply code in libcurl's message (e.g. `RCPT failed: 550`).
    static func replyCode(in message: String) -> Int? {
        let words = message.split(whereSeparator: { !$0.isNumber })
        return words.lazy.compactMap { Int($0) }.first { (200..<600).contains($0) }
    }

    /// Maps a failed session to a provider error.
    static func classify(_ code: CURLcode, reply: Int, detail: String, provider: String) -> ProviderError {
        let reason = "\(provider): \(detail)" + (reply > 0 ? " (reply \(reply))" : "")
        switch code {
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL:
            return .permanent(reason: reason)
        case CURLE_OPERATION_TIMEDOUT, CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_CONNECT, CURLE_GOT_NOTHING,
            CURLE_SSL_CONNECT_ERROR, CURLE_USE_SSL_FAILED, CURLE_PEER_FAILED_VERIFICATION:
            // TLS trouble (no STARTTLS offered, an expired or untrusted certificate) is usually the
            // relay's to fix, like a refused connection; retrying keeps the message until it is.
            return .retryable(reason: reason)
        default:
            break
        }
        if [550, 551, 553].contains(reply) && detail.contains("RCPT") {
            return .invalidRecipient(reason: reason)
        }
        switch reply {
        case 400..<500:
            return .retryable(reason: reason)
        case 500..<600:
            return .permanent(reason: reason)
        default:
            // No reply code: the session broke off, which is worth another try.
            return .retryable(reason: reason)
        }
    }
}
