/// The Lua scripts that apply delivery decisions atomically in Redis, as `EVAL`/`EVALSHA` text.
///
/// Every script names all its keys in `KEYS` and never builds a key name, so it runs on Redis
/// Cluster: the keys of one call share a hash tag (the user's `{pN}`, or the provider's own tag
/// for the rate limiter). Times are integer milliseconds since 1970 passed in `ARGV`, so the
/// caller's clock (the `now` its pure decision used) is the one that counts. Each script's
/// `KEYS`/`ARGV`/reply contract is in its own documentation and in `docs/delivery.md`.
public enum DeliveryScripts {}
