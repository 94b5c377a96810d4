-- Moves due timers of one partition to their target stream, atomically: each due timer is added
-- to its stream exactly once and removed from the schedule in the same step, so several scheduler
-- replicas can run this concurrently without loss or duplicates.
-- Journey timers go to the partition's events stream (field `timer`); deferred sends (quiet hours,
-- retry backoff, cap deferral), whose payload starts with `send:<channel>\n`, go back to that
-- channel's outbox (field `request`).
-- A journey timer's entry is a `PartitionInput.timer` (Sources/HeraldCore/Model/PartitionInput.swift):
-- fields kind=timer, timerId, dueAt, firedAt, and timer (its payload) when it has one; keep them in
-- step with `PartitionInput.fields`. A journey timer in the compact member form
-- (`JourneyTimer+Member.swift`: `r|…`, `t|…`, `i|…`, `d|…`) has no payload: its id and due time
-- describe it. Any other member without a payload was cancelled and is dropped.
-- KEYS[1] = timers sorted set, member = timer id, score = due time in ms   ({pN}:timers)
-- KEYS[2] = timer payloads hash, field = timer id                          ({pN}:timer-payloads)
-- KEYS[3] = events stream of the partition                                 ({pN}:events)
-- KEYS[4..] = the partition's outbox streams, in the order of ARGV[3..]    ({pN}:outbox:<channel>)
-- ARGV[1] = now in milliseconds
-- ARGV[2] = most timers to fire in this call
-- ARGV[3..] = channel names, one per outbox key
-- Returns { fired, next due time in ms or -1, { lateness in ms of each fired timer } }.
local now = tonumber(ARGV[1])
local outbox = {}
for i = 3, #ARGV do outbox[ARGV[i]] = KEYS[i + 1] end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'WITHSCORES', 'LIMIT', 0, tonumber(ARGV[2]))
local fired = 0
local lateness = {}
for i = 1, #due, 2 do
  local id = due[i]
  local payload = redis.call('HGET', KEYS[2], id)
  if not payload and string.match(id, '^[rtid]|') then
    redis.call('XADD', KEYS[3], '*', 'kind', 'timer', 'timerId', id, 'dueAt', due[i + 1], 'firedAt', ARGV[1])
    fired = fired + 1
  elseif payload then
    local channel, request = string.match(payload, '^send:(%w+)\n(.*)$')
    if channel and outbox[channel] then
      redis.call('XADD', outbox[channel], '*', 'request', request, 'timerId', id, 'dueAt', due[i + 1], 'firedAt', ARGV[1])
    else
      redis.call('XADD', KEYS[3], '*', 'kind', 'timer', 'timerId', id, 'dueAt', due[i + 1], 'firedAt', ARGV[1], 'timer', payload)
    end
    fired = fired + 1
    lateness[fired] = now - tonumber(due[i + 1])
  end
  redis.call('ZREM', KEYS[1], id)
  if payload then redis.call('HDEL', KEYS[2], id) end
end
local nextDue = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
if #nextDue == 0 then
  return { fired, -1, lateness }
end
return { fired, tonumber(nextDue[2]), lateness }
