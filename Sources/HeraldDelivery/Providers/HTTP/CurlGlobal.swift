import CCurl

/// libcurl's process-wide setup, done once before the first easy handle exists.
enum CurlGlobal {
    /// Whether `curl_global_init` succeeded; evaluated lazily and exactly once (Swift statics are thread-safe).
    static let isInitialized: Bool = curl_global_init(Int(CURL_GLOBAL_DEFAULT)) == CURLE_OK
}
