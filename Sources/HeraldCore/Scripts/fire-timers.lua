-- Moves due timers of one partition into its events stream, atomically: each due timer is added
-- to the stream exactly once and removed from the schedule in the same step, so several scheduler
-- replicas can run this concurrently without loss or duplicates.
-- KEYS[1] = timers sorted set, member = timer id, score = due time in ms   ({pN}:timers)
-- KEYS[2] = timer payloads hash, field = timer id                          ({pN}:timer-payloads)
-- KEYS[3] = events stream of the partition                                 ({pN}:events)
-- ARGV[1] = now in milliseconds
-- ARGV[2] = most timers to fire in this call
-- Returns { fired, next due time in ms or -1 }.
local now = tonumber(ARGV[1])
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local fired = 0
for i = 1, #due, 2 do
  local id = due[i]
  local payload = redis.call('HGET', KEYS[2], id)
  if payload then
    redis.call('XADD', KEYS[3], '*', 'kind', 'timer', 'timerId', id, 'dueAt', due[i + 1], 'firedAt', ARGV[1], 'timer', payload)
    fired = fired + 1
  end
  redis.call('ZREM', KEYS[1], id)
  redis.call('HDEL', KEYS[2], id)
end
local nextDue = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #nextDue == 0 then
  return { fired, -1 }
end
return { fired, tonumber(nextDue[2]) }
