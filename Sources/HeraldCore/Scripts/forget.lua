-- Erases one user from their partition, atomically, fenced and idempotent (`UserErasure`).
-- Every key is declared and shares the partition's hash tag {pN}:
-- KEYS[1] = the partition lease             KEYS[2] = the partition's applied input ids
-- KEYS[3] = the partition's events stream   KEYS[4] = the partition's timers (sorted set)
-- KEYS[5] = the partition's timer payloads  KEYS[6] = the partition's last activity per user
-- KEYS[7..] = the user's own keys (profile, state, trail, trail-log, caps per channel, suppression,
--   inbox, inbox-unread, list memberships), then the partition's outboxes, then the partition's keys
--   of the lists the user is a member of (the last ARGV[10] KEYS), which the user leaves
-- ARGV[1] = the lease value ('' skips the check)   ARGV[2] = the input's entry id ('' when none)
-- ARGV[3] = the entry's time in ms   ARGV[4] = applied-id retention in ms   ARGV[5] = applied-id capacity
-- ARGV[6] = how many KEYS from 7 on are the user's own keys
-- ARGV[7] = the user key, matched exactly against a refresh entry's `user` field
-- ARGV[8] = the user as a compact timer member writes it (`JourneyTimer.escapedUser`): the user's
--   compact timers are the members `<kind>|<that>|…` (`JourneyTimer+Member.swift`)
-- ARGV[9] = for an erasure of an inactive user, the last activity (ms) it was found with: when the
--   user's activity is newer (or gone: erased already), nothing is erased and the reply is {'ACTIVE'};
--   '' for an erasure on request
-- ARGV[10] = how many KEYS at the end are list keys
-- ARGV[11..] = needles: a stream entry or timer payload naming the user contains one of them
--   (`"userId":"<user>"` as JSON writes it, `"anonymousId":"<id>"` for an anonymous user)
-- The partition's streams are scanned whole: they hold only what is not yet consumed and trimmed.
-- Returns {'SKIP'}, {'ACTIVE'}, or {'OK', deleted per own key (0 or 1, in KEYS order), timers removed,
-- events entries removed, outbox entries removed}.
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED partition lease is held by another evaluator')
end
if ARGV[2] ~= '' and redis.call('ZSCORE', KEYS[2], ARGV[2]) then
  return {'SKIP'}
end
if ARGV[9] ~= '' then
  local last = redis.call('ZSCORE', KEYS[6], ARGV[7])
  if not last or tonumber(last) > tonumber(ARGV[9]) then return {'ACTIVE'} end
end
local needles = {}
for i = 11, #ARGV do needles[#needles + 1] = ARGV[i] end
local function names(text)
  for _, needle in ipairs(needles) do
    if string.find(text, needle, 1, true) then return true end
  end
  return false
end
local result = {'OK'}
local function count(_, n) result[#result + 1] = n end
local own = tonumber(ARGV[6])
for k = 7, 6 + own do
  count('key', redis.call('DEL', KEYS[k]))
end
redis.call('ZREM', KEYS[6], ARGV[7])
-- Pending timers: compact members name their user; other timers' payloads are JSON naming them.
local timers = 0
local prefix = '|' .. ARGV[8] .. '|'
local cursor = '0'
repeat
  local page = redis.call('ZSCAN', KEYS[4], cursor, 'COUNT', 1000)
  cursor = page[1]
  local members = page[2]
  for j = 1, #members, 2 do
    local member = members[j]
    if string.find(string.sub(member, 1, 1), '^[rtid]$') and string.sub(member, 2, #prefix + 1) == prefix then
      timers = timers + redis.call('ZREM', KEYS[4], member)
      redis.call('HDEL', KEYS[5], member)
    end
  end
until cursor == '0'
cursor = '0'
repeat
  local page = redis.call('HSCAN', KEYS[5], cursor, 'COUNT', 1000)
  cursor = page[1]
  local fields = page[2]
  for j = 1, #fields, 2 do
    if names(fields[j + 1]) then
      redis.call('HDEL', KEYS[5], fields[j])
      redis.call('ZREM', KEYS[4], fields[j])
      timers = timers + 1
    end
  end
until cursor == '0'
count('timers', timers)
-- Stream entries naming the user: the events stream (this input included) and the outboxes.
local function sweep(stream, family)
  local removed = 0
  local entries = redis.call('XRANGE', stream, '-', '+')
  for _, entry in ipairs(entries) do
    local fields = entry[2]
    for j = 1, #fields, 2 do
      local value = fields[j + 1]
      -- A fired compact timer names its user in its id (`<kind>|<user>|…`).
      local timer = fields[j] == 'timerId' and string.find(string.sub(value, 1, 1), '^[rtid]$') and string.sub(value, 2, #prefix + 1) == prefix
      if names(value) or (fields[j] == 'user' and value == ARGV[7]) or timer then
        redis.call('XDEL', stream, entry[1])
        removed = removed + 1
        break
      end
    end
  end
  count(family, removed)
end
sweep(KEYS[3], 'events')
local outboxes = 0
local listKeys = tonumber(ARGV[10]) or 0
for k = #KEYS - listKeys + 1, #KEYS do
  redis.call('ZREM', KEYS[k], ARGV[7])
end
for k = 7 + own, #KEYS - listKeys do
  sweep(KEYS[k], 'outbox')
  outboxes = outboxes + result[#result]
  result[#result] = nil
end
result[#result + 1] = outboxes
if ARGV[2] ~= '' then
  local at = tonumber(ARGV[3])
  redis.call('ZADD', KEYS[2], at, ARGV[2])
  redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', at - tonumber(ARGV[4]))
  local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
  if excess > 0 then redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1) end
end
return result
