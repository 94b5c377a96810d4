-- Checks a marketing message against a channel's caps and records it if it fits, atomically.
--
-- - `KEYS[1]`: the user's sorted set of sends on the channel (member: idempotency key, score:
-- send time in ms), e.g. `herald:{p7}:caps:<user>:email`.
-- - `ARGV`: `now_ms`, `member`, then `limit`, `window_ms` per cap (see
-- `FrequencyCapPolicy.scriptArguments`).
-- - Reply: `{1, 0, 0}` allowed and recorded (also when `member` was already recorded: a retry
-- never takes a second slot); `{0, free_at_ms, cap_index}` denied, where `cap_index` is the
-- 1-based cap that frees last and `free_at_ms` when it frees.
local key = KEYS[1]
local now = tonumber(ARGV[1])
local member = ARGV[2]
if redis.call('ZSCORE', key, member) then
  return {1, 0, 0}
end
local longest = 0
for i = 3, #ARGV, 2 do
  local window = tonumber(ARGV[i + 1])
  if window > longest then longest = window end
end
redis.call('ZREMRANGEBYSCORE', key, '-inf', string.format('%d', now - longest))
local free_at = 0
local cap_index = 0
for i = 3, #ARGV, 2 do
  local limit = tonumber(ARGV[i])
  local window = tonumber(ARGV[i + 1])
  local since = string.format('(%d', now - window)
  local count = redis.call('ZCOUNT', key, since, '+inf')
  if count >= limit then
    local oldest = redis.call('ZRANGEBYSCORE', key, since, '+inf', 'WITHSCORES', 'LIMIT', count - limit, 1)
    local at = tonumber(oldest[2]) + window
    if at > free_at then
      free_at = at
      cap_index = (i - 1) / 2
    end
  end
end
if free_at > 0 then
  return {0, free_at, cap_index}
end
redis.call('ZADD', key, string.format('%d', now), member)
redis.call('PEXPIRE', key, string.format('%d', longest))
return {1, 0, 0}
