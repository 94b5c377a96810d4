-- Takes one call from a provider's GCRA limiter, shared by every replica: now, or a reserved
-- later slot.
--
-- - `KEYS[1]`: the provider's TAT key, e.g. `herald:{rl:twilio}:tat` (one per provider).
-- - `ARGV`: `now_ms` (`0`: use the Redis server's `TIME`, one clock for all replicas),
-- `interval_us` (1e6 / rate), `burst`.
-- - Reply: `{1, new_tat_ms}` allowed now; `{0, slot_ms}` the call may go at `slot_ms` (the
-- first instant it fits, rounded up to the ms) and that slot is now its own. Either way the
-- TAT advances one interval, so a denied call is deferred once, to its slot, and later calls
-- queue behind it. See `RateLimitDecision.init(reply:)`.
local now = tonumber(ARGV[1]) * 1000
if now <= 0 then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + math.floor(tonumber(time[2]) / 1000) * 1000
end
local interval = tonumber(ARGV[2])
local burst = tonumber(ARGV[3])
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if tat < now then tat = now end
local new_tat = tat + interval
local limit = interval * burst
redis.call('SET', KEYS[1], string.format('%d', new_tat), 'PX', string.format('%d', math.ceil((new_tat - now) / 1000)))
if new_tat - now > limit then
  return {0, math.ceil((new_tat - limit) / 1000)}
end
return {1, math.floor(new_tat / 1000)}
