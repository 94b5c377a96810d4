import CCurl

/// An HTTP client over libcurl's easy API.
///
/// Transfers run on a few dedicated worker threads (never on Swift's cooperative pool), each
/// reusing one easy handle so connections are kept alive between requests. Redirects are not
/// followed: provider APIs answer directly and a redirect is worth seeing as a failure.
public final class HTTPClient: Sendable {
    private let pool: CurlWorkerPool
    private let caFile: String?

    /// Starts `workers` transfer threads; that many requests can be in flight at once. `caFile` is a
    /// PEM bundle of CA certificates to trust instead of the system's (private endpoints, tests).
    public init(workers: Int = 2, caFile: String? = nil) {
        pool = CurlWorkerPool(count: workers, name: "herald-http")
        self.caFile = caFile
    }

    /// Sends `request` and returns the final response, whatever its status. Cancelling the calling
    /// task does not interrupt a transfer already running; the request's timeout bounds it.
    public func send(_ request: HTTPClientRequest) async throws(HTTPClientError) -> HTTPClientResponse {
        let caFile = caFile
        let result = await pool.run { handle in HTTPClient.perform(request, caFile: caFile, on: handle) }
        return try result.get()
    }

    private static func perform(
        _ request: HTTPClientRequest, caFile: String?, on handle: UnsafeMutableRawPointer?
    ) -> Result<HTTPClientResponse, HTTPClientError> {
        let safeURL = HTTPClientError.redact(request.url)
        guard let handle else { return .failure(.transferFailed(url: safeURL, code: Int(CURLE_OUT_OF_MEMORY.rawValue), reason: "no curl handle")) }
        var easy = CurlEasy(handle: handle)
        defer { easy.release() }
        let state = CurlTransferState()
        easy.attach(state)
        easy.set(CURLOPT_URL, request.url, "URL")
        easy.set(CURLOPT_TIMEOUT_MS, max(1, Int(request.timeout * 1000)), "TIMEOUT_MS")
        easy.set(CURLOPT_CONNECTTIMEOUT_MS, max(1, Int(min(request.timeout, 10) * 1000)), "CONNECTTIMEOUT_MS")
        easy.set(CURLOPT_HTTP_VERSION, request.version.curlValue, "HTTP_VERSION")
        easy.set(CURLOPT_FOLLOWLOCATION, 0, "FOLLOWLOCATION")
        if request.version == .http2PriorKnowledge {
            // libcurl before 8.0 breaks when it reuses a prior-knowledge h2c connection ("Error in the
            // HTTP2 framing layer", curl issue #10634); h2c is for local peers, so a fresh connection is cheap.
            easy.set(CURLOPT_FRESH_CONNECT, 1, "FRESH_CONNECT")
            easy.set(CURLOPT_FORBID_REUSE, 1, "FORBID_REUSE")
        }
        easy.set(CURLOPT_PROTOCOLS_STR, "http,https", "PROTOCOLS_STR")
        if let caFile { easy.set(CURLOPT_CAINFO, caFile, "CAINFO") }
        let method = request.method.uppercased()
        switch method {
        case "GET" where request.body.isEmpty:
            easy.set(CURLOPT_HTTPGET, 1, "HTTPGET")
        case "HEAD":
            easy.set(CURLOPT_NOBODY, 1, "NOBODY")
        default:
            if method != "POST" { easy.set(CURLOPT_CUSTOMREQUEST, method, "CUSTOMREQUEST") }
            easy.set(CURLOPT_POSTFIELDSIZE_LARGE, offset: request.body.count, "POSTFIELDSIZE_LARGE")
            // COPYPOSTFIELDS copies the bytes, so the array's storage need not outlive this call.
            request.body.withUnsafeBytes { bytes in
                let empty: StaticString = ""
                let pointer = bytes.baseAddress ?? UnsafeRawPointer(empty.utf8Start)
                easy.set(CURLOPT_COPYPOSTFIELDS, pointer: UnsafeMutableRawPointer(mutating: pointer), "COPYPOSTFIELDS")
            }
        }
        var list: UnsafeMutablePointer<curl_slist>?
        defer { curl_slist_free_all(list) }
        // An empty "Expect:" stops libcurl from waiting for 100-continue before larger bodies.
        for line in request.headers.map({ "\(clean($0.name)): \(clean($0.value))" }) + ["Expect:"] {
            list = curl_slist_append(list, line)
        }
        easy.set(CURLOPT_HTTPHEADER, list: list, "HTTPHEADER")
        if let failure = easy.optionFailure {
            return .failure(.invalidRequest(url: safeURL, reason: "libcurl refused \(failure.option): \(String(cString: curl_easy_strerror(failure.code)))"))
        }
        let code = easy.perform()
        guard code == CURLE_OK else {
            return .failure(classify(code, message: easy.message(for: code), url: safeURL, timeout: request.timeout))
        }
        return .success(HTTPClientResponse(status: easy.responseCode, headers: state.headers, body: state.body))
    }

    /// Maps a failed `CURLcode` to an `HTTPClientError`.
    static func classify(_ code: CURLcode, message: String, url: String, timeout: Double) -> HTTPClientError {
        switch code {
        case CURLE_OPERATION_TIMEDOUT:
            return .timedOut(url: url, seconds: timeout)
        case CURLE_URL_MALFORMAT, CURLE_UNSUPPORTED_PROTOCOL, CURLE_BAD_FUNCTION_ARGUMENT:
            return .invalidRequest(url: url, reason: message)
        case CURLE_COULDNT_RESOLVE_HOST, CURLE_COULDNT_RESOLVE_PROXY, CURLE_COULDNT_CONNECT, CURLE_SEND_ERROR,
            CURLE_RECV_ERROR, CURLE_GOT_NOTHING, CURLE_SSL_CONNECT_ERROR, CURLE_PARTIAL_FILE, CURLE_HTTP2,
            CURLE_HTTP2_STREAM, CURLE_PEER_FAILED_VERIFICATION:
            return .connectionFailed(url: url, reason: message)
        default:
            return .transferFailed(url: url, code: Int(code.rawValue), reason: message)
        }
    }

    private static func clean(_ text: String) -> String {
        String(text.filter { !$0.isNewline })
    }
}
