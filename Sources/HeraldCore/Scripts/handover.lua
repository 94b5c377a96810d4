-- Hands one identity over to another, in the source identity's partition, atomically, fenced and
-- idempotent (docs/journeys.md, "Identity merge"): its stored data is copied into a handover
-- snapshot, its keys and timers are deleted, and a tombstone says whom it was merged into, so
-- the partition forwards its later inputs there. The evaluator then delivers the snapshot to the
-- target's partition stream (a `PartitionInput.merge` entry) and deletes it.
-- Every key is declared and shares the partition's hash tag {pN}:
-- KEYS[1] = the partition lease            KEYS[2] = the partition's applied input ids
-- KEYS[3] = the source's tombstone         KEYS[4] = the partition's pending handovers (sorted set)
-- KEYS[5] = this handover's snapshot hash  KEYS[6] = the partition's timers (sorted set)
-- KEYS[7] = the partition's timer payloads KEYS[8] = the partition's last activity per user
-- KEYS[9] = state  KEYS[10] = profile  KEYS[11] = suppression  KEYS[12] = inbox  KEYS[13] = inbox unread
-- KEYS[14] = trail log  KEYS[15] = the older trail stream  KEYS[16..] = the caps per channel
-- ARGV[1] = the lease value ('' skips the check)  ARGV[2] = the input's entry id
-- ARGV[3] = the entry's time in ms  ARGV[4] = applied-id retention in ms  ARGV[5] = applied-id capacity
-- ARGV[6] = the source user key  ARGV[7] = the target user key  ARGV[8] = the merge id
-- ARGV[9] = the tombstone's lifetime in ms  ARGV[10] = now in ms
-- ARGV[11] = the number of channels n, ARGV[12 .. 11+n] their names (one per caps key, in order)
-- ARGV[12+n ..] = the source's timer ids (from its journey state)
-- The snapshot's fields are `IdentitySnapshot`'s (Sources/HeraldCore/Model/IdentitySnapshot.swift):
-- from, into, mergeId, state, profile:<trait>, suppression, inbox:<nnnn>, unread, trail:<nnnn>,
-- activity, cap:<channel>:<member> (score), capttl:<channel>.
-- Returns {'OK'}, {'SKIP'} (applied before) or {'ALREADY', target} (merged before, into target).
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED partition lease is held by another evaluator')
end
if redis.call('ZSCORE', KEYS[2], ARGV[2]) then
  return {'SKIP'}
end
local function applied()
  local at = tonumber(ARGV[3])
  redis.call('ZADD', KEYS[2], at, ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', at - tonumber(ARGV[4]))
  local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
  if excess > 0 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1) end
end
local existing = redis.call('GET', KEYS[3])
if existing then
  applied()
  return {'ALREADY', existing}
end
local snapshot = KEYS[5]
redis.call('HSET', snapshot, 'from', ARGV[6], 'into', ARGV[7], 'mergeId', ARGV[8])
local state = redis.call('GET', KEYS[9])
if state then redis.call('HSET', snapshot, 'state', state) end
local profile = redis.call('HGETALL', KEYS[10])
for j = 1, #profile, 2 do redis.call('HSET', snapshot, 'profile:' .. profile[j], profile[j + 1]) end
local suppression = redis.call('GET', KEYS[11])
if suppression then redis.call('HSET', snapshot, 'suppression', suppression) end
for position, item in ipairs(redis.call('LRANGE', KEYS[12], 0, -1)) do
  redis.call('HSET', snapshot, string.format('inbox:%04d', position), item)
end
local unread = redis.call('GET', KEYS[13])
if unread then redis.call('HSET', snapshot, 'unread', unread) end
for position, entry in ipairs(redis.call('LRANGE', KEYS[14], 0, -1)) do
  redis.call('HSET', snapshot, string.format('trail:%04d', position), entry)
end
local activity = redis.call('ZSCORE', KEYS[8], ARGV[6])
if activity then redis.call('HSET', snapshot, 'activity', activity) end
local channels = tonumber(ARGV[11])
for c = 1, channels do
  local key = KEYS[15 + c]
  local channel = ARGV[11 + c]
  local members = redis.call('ZRANGE', key, 0, -1, 'WITHSCORES')
  for j = 1, #members, 2 do redis.call('HSET', snapshot, 'cap:' .. channel .. ':' .. members[j], members[j + 1]) end
  if #members > 0 then redis.call('HSET', snapshot, 'capttl:' .. channel, redis.call('PTTL', key)) end
end
for k = 9, 15 + channels do redis.call('DEL', KEYS[k]) end
redis.call('ZREM', KEYS[8], ARGV[6])
for j = 12 + channels, #ARGV do
  redis.call('ZREM', KEYS[6], ARGV[j])
  redis.call('HDEL', KEYS[7], ARGV[j])
end
redis.call('SET', KEYS[3], ARGV[7], 'PX', ARGV[9])
redis.call('ZADD', KEYS[4], ARGV[10], ARGV[8])
applied()
return {'OK'}
