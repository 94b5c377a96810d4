-- Reserves the slot of one throttled journey entry (`entry.throttle`), fleet-wide and idempotent.
-- The slot is the latest of now, the last slot given (entries keep their order) and the slot
-- `count` reservations back plus the window, so no window holds more than `count` slots and a
-- trigger beyond the capacity is given a later slot, never refused. `EntryThrottleLog`
-- (Sources/HeraldJourneys/Engine/EntryThrottleLog.swift) is the same rule in Swift.
-- The key has a hash tag of its own ({et:<journey>}), not a partition's, so this script is always
-- a call of its own, before the partition's apply-effects.lua call of the same input.
-- KEYS[1] = the journey's reservations (sorted set): member = the entry's instance id, score = its slot in ms
-- ARGV[1] = now in ms   ARGV[2] = the member   ARGV[3] = count   ARGV[4] = window in ms
-- ARGV[5] = how long a slot is kept after it passes, in ms (at least the window)
-- Returns the slot in ms; a member that holds one already (a redelivered input) gets it back.
local existing = redis.call('ZSCORE', KEYS[1], ARGV[2])
if existing then return tonumber(existing) end
local now = tonumber(ARGV[1])
local count = tonumber(ARGV[3])
local window = tonumber(ARGV[4])
local retention = tonumber(ARGV[5])
redis.call('ZREMRANGEBYSCORE', KEYS[1], '-inf', now - retention)
local slot = now
local last = redis.call('ZREVRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #last > 0 then slot = math.max(slot, tonumber(last[2])) end
local back = redis.call('ZREVRANGE', KEYS[1], count - 1, count - 1, 'WITHSCORES')
if #back > 0 then slot = math.max(slot, tonumber(back[2]) + window) end
redis.call('ZADD', KEYS[1], slot, ARGV[2])
redis.call('PEXPIRE', KEYS[1], slot - now + retention)
return slot
