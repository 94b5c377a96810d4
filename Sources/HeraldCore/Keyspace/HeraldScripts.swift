/// The Lua scripts Herald runs, loaded once from HeraldCore's resources.
public enum HeraldScripts {
    /// Dedupe, profile update and partition append of one accepted event (`ingest.lua`).
    public static let ingest = RedisScript.bundled("ingest")
    /// Due timers into their partition's events stream (`fire-timers.lua`).
    public static let fireTimers = RedisScript.bundled("fire-timers")
}
