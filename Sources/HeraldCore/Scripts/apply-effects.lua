-- Applies the effects of one evaluator input atomically, fenced and idempotent.
-- Every key the operations touch is passed in KEYS and named by its index; the script never builds
-- a key name, so all keys are declared and share the partition's hash tag {pN}.
-- KEYS[1] = the partition lease                         ({pN}:lease)
-- KEYS[2] = the partition's recently applied input ids  ({pN}:applied, sorted set by entry time)
-- KEYS[3..] = the keys the operations write (state, timers, timer payloads, trail, outboxes, stats)
-- ARGV[1] = the lease value this evaluator holds (owner and fencing token); '' skips the check
-- ARGV[2] = the input's stream entry id
-- ARGV[3] = the entry's time in ms (its id's first part)
-- ARGV[4] = how long applied ids are remembered, in ms
-- ARGV[5] = how many applied ids a partition remembers at most
-- ARGV[6..] = operations, each an opcode, a KEYS index and its arguments:
--   SET k value | DEL k | XADD k maxlen nfields f v … | ZADD k score member | ZREM k member
--   HSET k field value | HDEL k field | HINCRBYFLOAT k field delta | PEXPIRE k ms
--   HSETNX k field value | ZADDNX k score member (an existing member keeps its score)
--   HINCRJSON k field delta (the field holds a JSON value, a profile trait: a number, or a string
--   holding one, plus delta, stored as a JSON number; absent or anything else counts as 0)
--   LPUSHCAPPED k maxlen value (newest first, at most maxlen) | LTRIMAGE k min_ms (drop the oldest
--   elements whose leading Unix-ms time is before min_ms)
--   INCRBY k n | ZADDGT k score member | PEXPIREGT k ms (only when the key
--   would expire sooner or never) | LMERGE k maxlen order n v… (merge the values into a list kept
--   newest first, ordered by each element's leading Unix-ms time, order 'ms', or its JSON "at",
--   order 'at'; values already there are not added again; the newest maxlen are kept): an
--   identity merge's fold (docs/journeys.md, "Identity merge")
-- Returns 'OK', 'SKIP' (this input was applied already) or an error 'FENCED' (the lease moved).
if ARGV[1] ~= '' and redis.call('GET', KEYS[1]) ~= ARGV[1] then
  return redis.error_reply('FENCED partition lease is held by another evaluator')
end
if redis.call('ZSCORE', KEYS[2], ARGV[2]) then
  return 'SKIP'
end
local i = 6
while i <= #ARGV do
  local op = ARGV[i]
  local key = KEYS[tonumber(ARGV[i + 1])]
  if op == 'SET' then
    redis.call('SET', key, ARGV[i + 2]); i = i + 3
  elseif op == 'DEL' then
    redis.call('DEL', key); i = i + 2
  elseif op == 'XADD' then
    local maxlen = tonumber(ARGV[i + 2])
    local n = tonumber(ARGV[i + 3])
    local args = {}
    for j = 1, n * 2 do args[j] = ARGV[i + 3 + j] end
    if maxlen > 0 then
      redis.call('XADD', key, 'MAXLEN', '~', maxlen, '*', unpack(args))
    else
      redis.call('XADD', key, '*', unpack(args))
    end
    i = i + 4 + n * 2
  elseif op == 'ZADD' then
    redis.call('ZADD', key, ARGV[i + 2], ARGV[i + 3]); i = i + 4
  elseif op == 'ZREM' then
    redis.call('ZREM', key, ARGV[i + 2]); i = i + 3
  elseif op == 'HSET' then
    redis.call('HSET', key, ARGV[i + 2], ARGV[i + 3]); i = i + 4
  elseif op == 'HDEL' then
    redis.call('HDEL', key, ARGV[i + 2]); i = i + 3
  elseif op == 'LPUSHCAPPED' then
    redis.call('LPUSH', key, ARGV[i + 3])
    redis.call('LTRIM', key, 0, tonumber(ARGV[i + 2]) - 1); i = i + 4
  elseif op == 'LTRIMAGE' then
    local limit = tonumber(ARGV[i + 2])
    while true do
      local oldest = redis.call('LINDEX', key, -1)
      local at = oldest and tonumber(string.match(oldest, '^(%d+)'))
      if not at or at >= limit then break end
      redis.call('RPOP', key)
    end
    i = i + 3
  elseif op == 'PEXPIRE' then
    redis.call('PEXPIRE', key, ARGV[i + 2]); i = i + 3
  elseif op == 'HSETNX' then
    redis.call('HSETNX', key, ARGV[i + 2], ARGV[i + 3]); i = i + 4
  elseif op == 'ZADDNX' then
    redis.call('ZADD', key, 'NX', ARGV[i + 2], ARGV[i + 3]); i = i + 4
  elseif op == 'HINCRJSON' then
    local stored = redis.call('HGET', key, ARGV[i + 2])
    local current = 0
    if stored then
      local ok, value = pcall(cjson.decode, stored)
      if ok and type(value) == 'number' then
        current = value
      elseif ok and type(value) == 'string' then
        current = tonumber(value) or 0
      end
    end
    local sum = current + tonumber(ARGV[i + 3])
    -- Whole numbers without a fraction ('3', not '3.0'), others with enough digits to read back.
    local text
    if sum == math.floor(sum) and math.abs(sum) < 1e15 then text = string.format('%d', sum) else text = string.format('%.17g', sum) end
    redis.call('HSET', key, ARGV[i + 2], text); i = i + 4
  elseif op == 'INCRBY' then
    redis.call('INCRBY', key, ARGV[i + 2]); i = i + 3
  elseif op == 'ZADDGT' then
    redis.call('ZADD', key, 'GT', ARGV[i + 2], ARGV[i + 3]); i = i + 4
  elseif op == 'PEXPIREGT' then
    local left = redis.call('PTTL', key)
    if left == -1 or (left >= 0 and left < tonumber(ARGV[i + 2])) then redis.call('PEXPIRE', key, ARGV[i + 2]) end
    i = i + 3
  elseif op == 'LMERGE' then
    local maxlen = tonumber(ARGV[i + 2])
    local order = ARGV[i + 3]
    local n = tonumber(ARGV[i + 4])
    local items = redis.call('LRANGE', key, 0, -1)
    local seen = {}
    for _, value in ipairs(items) do seen[value] = true end
    for j = 1, n do
      local value = ARGV[i + 4 + j]
      if not seen[value] then items[#items + 1] = value; seen[value] = true end
    end
    local decorated = {}
    for position, value in ipairs(items) do
      local at
      if order == 'ms' then at = tonumber(string.match(value, '^(%d+)')) or 0 else at = string.match(value, '"at":"([^"]*)"') or '' end
      decorated[position] = {at, position, value}
    end
    table.sort(decorated, function(a, b) if a[1] ~= b[1] then return a[1] > b[1] end return a[2] < b[2] end)
    redis.call('DEL', key)
    for position = 1, math.min(#decorated, maxlen) do redis.call('RPUSH', key, decorated[position][3]) end
    i = i + 5 + n
  elseif op == 'HINCRBYFLOAT' then
    redis.call('HINCRBYFLOAT', key, ARGV[i + 2], ARGV[i + 3]); i = i + 4
  else
    return redis.error_reply('ERR unknown operation ' .. tostring(op))
  end
end
local at = tonumber(ARGV[3])
redis.call('ZADD', KEYS[2], at, ARGV[2])
redis.call('ZREMRANGEBYSCORE', KEYS[2], '-inf', at - tonumber(ARGV[4]))
local excess = redis.call('ZCARD', KEYS[2]) - tonumber(ARGV[5])
if excess > 0 then
  redis.call('ZREMRANGEBYRANK', KEYS[2], 0, excess - 1)
end
return 'OK'
