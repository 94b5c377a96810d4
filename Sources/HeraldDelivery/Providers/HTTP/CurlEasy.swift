import CCurl

/// A thin typed view of one libcurl easy handle for the duration of one job on a `CurlWorker`.
///
/// Options are set through the non-variadic shims in `CCurl/shim.h`; the first option libcurl
/// refuses is remembered in `optionFailure` so callers check once before performing.
struct CurlEasy {
    /// The handle, owned by the worker thread.
    let handle: UnsafeMutableRawPointer
    /// The first option that failed to set, with its code.
    private(set) var optionFailure: (option: String, code: CURLcode)?
    /// The libcurl error buffer, valid until `release()`.
    let errorBuffer: UnsafeMutablePointer<CChar>

    init(handle: UnsafeMutableRawPointer) {
        self.handle = handle
        errorBuffer = .allocate(capacity: Int(CURL_ERROR_SIZE) + 1)
        errorBuffer.initialize(repeating: 0, count: Int(CURL_ERROR_SIZE) + 1)
        _ = herald_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, errorBuffer)
        set(CURLOPT_NOSIGNAL, 1, "NOSIGNAL")
    }

    /// Detaches and frees the error buffer.
    func release() {
        _ = herald_curl_setopt_pointer(handle, CURLOPT_ERRORBUFFER, nil)
        errorBuffer.deallocate()
    }

    private mutating func check(_ code: CURLcode, _ label: String) {
        if code != CURLE_OK && optionFailure == nil { optionFailure = (label, code) }
    }

    /// Sets a `long` option.
    mutating func set(_ option: CURLoption, _ value: Int, _ label: String) {
        check(herald_curl_setopt_long(handle, option, value), label)
    }

    /// Sets a `curl_off_t` option.
    mutating func set(_ option: CURLoption, offset value: Int, _ label: String) {
        check(herald_curl_setopt_off_t(handle, option, curl_off_t(value)), label)
    }

    /// Sets a string option; libcurl copies it.
    mutating func set(_ option: CURLoption, _ value: String, _ label: String) {
        check(value.withCString { herald_curl_setopt_string(handle, option, $0) }, label)
    }

    /// Sets a pointer option.
    mutating func set(_ option: CURLoption, pointer value: UnsafeMutableRawPointer?, _ label: String) {
        check(herald_curl_setopt_pointer(handle, option, value), label)
    }

    /// Sets a string-list option; the list must outlive the transfer.
    mutating func set(_ option: CURLoption, list value: UnsafeMutablePointer<curl_slist>?, _ label: String) {
        check(herald_curl_setopt_slist(handle, option, value), label)
    }

    /// Sets a data callback option.
    mutating func set(_ option: CURLoption, callback value: herald_curl_data_callback, _ label: String) {
        check(herald_curl_setopt_callback(handle, option, value), label)
    }

    /// Installs the body, header and read callbacks that go through `state`.
    mutating func attach(_ state: CurlTransferState) {
        let userdata = Unmanaged.passUnretained(state).toOpaque()
        set(CURLOPT_WRITEFUNCTION, callback: { buffer, size, count, userdata in
            let state = Unmanaged<CurlTransferState>.fromOpaque(userdata!).takeUnretainedValue()
            let length = size * count
            if let buffer, length > 0 {
                state.body.append(contentsOf: UnsafeRawBufferPointer(start: buffer, count: length))
            }
            return length
        }, "WRITEFUNCTION")
        set(CURLOPT_WRITEDATA, pointer: userdata, "WRITEDATA")
        set(CURLOPT_HEADERFUNCTION, callback: { buffer, size, count, userdata in
            let state = Unmanaged<CurlTransferState>.fromOpaque(userdata!).takeUnretainedValue()
            let length = size * count
            if let buffer { state.receiveHeaderLine(UnsafeRawBufferPointer(start: buffer, count: length)) }
            return length
        }, "HEADERFUNCTION")
        set(CURLOPT_HEADERDATA, pointer: userdata, "HEADERDATA")
        set(CURLOPT_READFUNCTION, callback: { buffer, size, count, userdata in
            let state = Unmanaged<CurlTransferState>.fromOpaque(userdata!).takeUnretainedValue()
            guard let buffer else { return 0 }
            return state.readUpload(into: buffer, capacity: size * count)
        }, "READFUNCTION")
        set(CURLOPT_READDATA, pointer: userdata, "READDATA")
    }

    /// Runs the transfer (blocking this worker thread).
    func perform() -> CURLcode {
        curl_easy_perform(handle)
    }

    /// The last response code (HTTP status or SMTP reply code), 0 when none.
    var responseCode: Int {
        var code = 0
        _ = herald_curl_getinfo_long(handle, CURLINFO_RESPONSE_CODE, &code)
        return code
    }

    /// libcurl's detailed message for the last failure, or its generic text for `code`.
    func message(for code: CURLcode) -> String {
        let detail = String(cString: errorBuffer)
        if !detail.isEmpty { return detail }
        return String(cString: curl_easy_strerror(code))
    }
}
