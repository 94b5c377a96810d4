import CZlib

/// gzip (RFC 1952) for request bodies sent with `Content-Encoding: gzip`, through Debian's zlib.
public enum Gzip {
    /// Inflates `compressed` (one gzip member or several concatenated, as RFC 1952 allows) and
    /// throws `.tooLarge` as soon as the output would pass `limit` bytes, so memory stays bounded
    /// by `limit` whatever the compression ratio.
    public static func inflate(_ compressed: [UInt8], limit: Int) throws(GzipError) -> [UInt8] {
        var stream = z_stream()
        guard herald_inflate_init_gzip(&stream) == Z_OK else { throw .corrupt("zlib could not start") }
        defer { inflateEnd(&stream) }
        var output: [UInt8] = []
        let chunkSize = 16 * 1024
        var chunk = [UInt8](repeating: 0, count: chunkSize)
        var consumed = 0
        while true {
            let remaining = compressed.count - consumed
            var status: Int32 = Z_OK
            var produced = 0
            compressed.withUnsafeBufferPointer { input in
                chunk.withUnsafeMutableBufferPointer { buffer in
                    // zlib never writes through next_in; the cast only satisfies its C signature.
                    stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress.map { $0 + consumed })
                    stream.avail_in = UInt32(remaining)
                    stream.next_out = buffer.baseAddress
                    stream.avail_out = UInt32(chunkSize)
                    status = CZlib.inflate(&stream, Z_NO_FLUSH)
                    produced = chunkSize - Int(stream.avail_out)
                    consumed = compressed.count - Int(stream.avail_in)
                }
            }
            if output.count + produced > limit { throw .tooLarge(limit: limit) }
            output.append(contentsOf: chunk[0..<produced])
            switch status {
            case Z_STREAM_END:
                // Another member may follow; anything else after the end is not gzip.
                guard consumed < compressed.count else { return output }
                guard inflateReset(&stream) == Z_OK else { throw .corrupt("zlib could not restart") }
            case Z_OK:
                if consumed == compressed.count && produced < chunkSize { throw .corrupt("the stream is truncated") }
            case Z_BUF_ERROR:
                throw .corrupt("the stream is truncated")
            default:
                throw .corrupt(stream.msg.map { String(cString: $0) } ?? "zlib error \(status)")
            }
        }
    }

    /// Compresses `data` into one gzip member (for clients, benchmarks and tests that send gzip).
    public static func deflate(_ data: [UInt8], level: Int32 = Z_DEFAULT_COMPRESSION) -> [UInt8] {
        var stream = z_stream()
        // deflateInit2 is a macro Swift cannot call; this is its expansion. 16 + 15: a gzip wrapper.
        guard deflateInit2_(&stream, level, Z_DEFLATED, 16 + MAX_WBITS, 8, Z_DEFAULT_STRATEGY, zlibVersion(), Int32(MemoryLayout<z_stream>.size)) == Z_OK
        else { return [] }
        defer { deflateEnd(&stream) }
        var output = [UInt8](repeating: 0, count: Int(deflateBound(&stream, UInt(data.count))) + 32)
        var written = 0
        data.withUnsafeBufferPointer { input in
            output.withUnsafeMutableBufferPointer { buffer in
                stream.next_in = UnsafeMutablePointer(mutating: input.baseAddress)
                stream.avail_in = UInt32(input.count)
                stream.next_out = buffer.baseAddress
                stream.avail_out = UInt32(buffer.count)
                _ = CZlib.deflate(&stream, Z_FINISH)
                written = buffer.count - Int(stream.avail_out)
            }
        }
        return Array(output[0..<written])
    }
}
