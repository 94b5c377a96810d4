-- Accepts one validated event into its user's partition, atomically.
-- KEYS[1] = dedupe sorted set of the partition   ({pN}:dedupe)
-- KEYS[2] = events stream of the partition       ({pN}:events)
-- KEYS[3] = the user's profile hash              ({pN}:profile:<user>)
-- KEYS[4] = the partition's last activity per user ({pN}:activity, sorted set by ms)
-- ARGV[1] = messageId
-- ARGV[2] = now in milliseconds
-- ARGV[3] = dedupe window in milliseconds
-- ARGV[4] = most messageIds remembered per partition
-- ARGV[5] = the normalized event JSON
-- ARGV[6] = the user key, whose last activity becomes now
-- ARGV[7..] = trait name, trait JSON value pairs (identify only)
-- The window is a time (ARGV[3]); the count cap (ARGV[4]) is a safety net for memory. When the cap
-- drops ids younger than the window, the reply says how much of the window is left.
-- Returns 0 when the messageId was seen within the window, else {new stream entry id, kept window
-- in ms when the cap cut the window short, or -1 when the whole window is kept}.
-- The entry is a `PartitionInput.event` (Sources/HeraldCore/Model/PartitionInput.swift): fields
-- kind=event, messageId, event; keep them in step with `PartitionInput.fields`. Producers' events
-- are always kind=event: provider feedback (kind=feedback) is written by Herald alone.
local now = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local seen = redis.call('ZSCORE', KEYS[1], ARGV[1])
if seen and tonumber(seen) > now - window then
  return 0
end
redis.call('ZADD', KEYS[1], now, ARGV[1])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
local kept = -1
local excess = redis.call('ZCARD', KEYS[1]) - tonumber(ARGV[4])
if excess > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[1], 0, excess - 1)
  local oldest = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  kept = now - tonumber(oldest[2])
end
redis.call('ZADD', KEYS[4], 'GT', now, ARGV[6])
if #ARGV > 6 then
  local traits = {}
  for i = 7, #ARGV do traits[#traits + 1] = ARGV[i] end
  redis.call('HSET', KEYS[3], unpack(traits))
end
local id = redis.call('XADD', KEYS[2], '*', 'kind', 'event', 'messageId', ARGV[1], 'event', ARGV[5])
return {id, kept}
