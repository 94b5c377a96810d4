-- Appends one of Herald's own feedback events (from the edge: provider callbacks, opens, clicks)
-- to its user's partition stream unless the same messageId was seen within the window, atomically.
-- KEYS[1] = dedupe sorted set of the partition   ({pN}:dedupe, shared with ingest.lua)
-- KEYS[2] = events stream of the partition       ({pN}:events)
-- ARGV[1] = messageId
-- ARGV[2] = now in milliseconds
-- ARGV[3] = dedupe window in milliseconds
-- ARGV[4..] = the entry's field/value pairs (`PartitionInput.feedback(...).fields`: kind=feedback, messageId, event)
-- Returns 0 for a repeat within the window, else the new entry id. A redelivered provider webhook
-- (the same webhook-id, the same Twilio MessageSid and status) is so applied once.
local now = tonumber(ARGV[2])
local window = tonumber(ARGV[3])
local seen = redis.call('ZSCORE', KEYS[1], ARGV[1])
if seen and tonumber(seen) > now - window then
  return 0
end
-- Ids older than the window are dropped here as in ingest.lua, so the set stays bounded on a
-- partition that receives feedback and no producer events.
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - window)
redis.call('ZADD', KEYS[1], now, ARGV[1])
return redis.call('XADD', KEYS[2], '*', unpack(ARGV, 4))
