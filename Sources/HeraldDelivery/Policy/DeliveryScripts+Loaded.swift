import HeraldCore

extension DeliveryScripts {
    /// `frequencyCapCheckAndRecord`, ready for EVALSHA.
    public static let capCheck = RedisScript(name: "frequency-cap-check", source: frequencyCapCheckAndRecord)
    /// `frequencyCapRelease`, ready for EVALSHA.
    public static let capRelease = RedisScript(name: "frequency-cap-release", source: frequencyCapRelease)
    /// `idempotencyClaim`, ready for EVALSHA.
    public static let claim = RedisScript(name: "idempotency-claim", source: idempotencyClaim)
    /// `idempotencyRelease`, ready for EVALSHA.
    public static let release = RedisScript(name: "idempotency-release", source: idempotencyRelease)
    /// `idempotencyReplay`, ready for EVALSHA.
    public static let replay = RedisScript(name: "idempotency-replay", source: idempotencyReplay)
}
