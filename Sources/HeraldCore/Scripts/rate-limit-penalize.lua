-- Honours a provider's Retry-After: pushes the TAT so nothing is allowed before
-- `now + retry_after`, after which calls resume at the sustained rate. Never pulls it back.
--
-- - `KEYS[1]`: the provider's TAT key.
-- - `ARGV`: `now_ms` (`0`: server clock), `retry_after_ms`, `interval_us`, `burst`.
-- - Reply: the TAT in ms after the call.
local now = tonumber(ARGV[1]) * 1000
if now <= 0 then
  local time = redis.call('TIME')
  now = tonumber(time[1]) * 1000000 + math.floor(tonumber(time[2]) / 1000) * 1000
end
local pushed = now + tonumber(ARGV[2]) * 1000 + tonumber(ARGV[3]) * (tonumber(ARGV[4]) - 1)
local tat = tonumber(redis.call('GET', KEYS[1]) or '0')
if pushed > tat then
  tat = pushed
  redis.call('SET', KEYS[1], string.format('%d', tat), 'PX', string.format('%d', math.ceil((tat - now) / 1000)))
end
return math.floor(tat / 1000)
