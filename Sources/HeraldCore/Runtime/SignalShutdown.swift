import Dispatch
import Foundation
import Synchronization

/// Turns SIGTERM and SIGINT into an async stream, for graceful shutdown.
///
/// Uses dispatch signal sources without `SIG_IGN` (on Linux ignoring a signal disables its
/// source). The sources stay alive for the whole process: dropping one would restore the default
/// action, which terminates the process.
public enum SignalShutdown {
    private static let sources = Mutex<[any DispatchSourceSignal]>([])

    /// A stream that yields each time one of `signals` arrives.
    public static func signals(_ signals: [Int32] = [SIGTERM, SIGINT]) -> AsyncStream<Int32> {
        let (stream, continuation) = AsyncStream<Int32>.makeStream()
        let queue = DispatchQueue(label: "herald.signals")
        sources.withLock { sources in
            for number in signals {
                let source = DispatchSource.makeSignalSource(signal: number, queue: queue)
                source.setEventHandler { continuation.yield(number) }
                source.resume()
                sources.append(source)
            }
        }
        return stream
    }
}
