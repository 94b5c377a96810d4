import Foundation
import Synchronization

/// A Lua script shipped as a resource (`Sources/HeraldCore/Scripts/NAME.lua`), run with EVALSHA.
///
/// Each script's header declares its KEYS (`-- KEYS[1] = …`); scripts never build key names, so every
/// key they touch is declared and, for Redis Cluster, shares the caller's `{pN}` hash tag.
public struct RedisScript: Sendable, Hashable {
    /// The resource name without `.lua`.
    public let name: String
    /// The Lua source.
    public let source: String
    /// The SHA-1 of the source, as EVALSHA wants it.
    public let sha1: String

    /// Creates a script from source text and registers it so a NOSCRIPT reply can reload it.
    public init(name: String, source: String) {
        self.name = name
        self.source = source
        self.sha1 = SHA1.hexDigest(Array(source.utf8))
        RedisScript.registry.withLock { $0[sha1] = self }
    }

    /// Loads `NAME.lua` from HeraldCore's bundled scripts.
    public static func bundled(_ name: String) -> RedisScript {
        guard let url = Bundle.module.url(forResource: name, withExtension: "lua", subdirectory: "Scripts"),
            let source = try? String(contentsOf: url, encoding: .utf8)
        else {
            // The scripts are part of the build product; a missing one is a packaging bug, not data.
            fatalError("Lua script \(name).lua is missing from HeraldCore's resources")
        }
        return RedisScript(name: name, source: source)
    }

    /// The EVALSHA command for one call.
    public func command(keys: [RedisKey], arguments: [any RedisArgument]) -> RedisCommand {
        .evalsha(sha1, keys: keys, arguments: arguments)
    }

    private static let registry = Mutex<[String: RedisScript]>([:])

    static func registered(sha bytes: [UInt8]) -> RedisScript? {
        let sha = String(decoding: bytes, as: UTF8.self)
        return registry.withLock { $0[sha] }
    }
}
