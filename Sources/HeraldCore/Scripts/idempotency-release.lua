-- Gives up a claim after a failed attempt, so the retry (by any consumer) can claim at once.
--
-- - `KEYS[1]`: the idempotency key.
-- - `ARGV[1]`: `consumer`.
-- - Reply: `1` released; `0` the key is not claimed by this consumer (sent, or someone else's).
local value = redis.call('GET', KEYS[1])
if value and string.sub(value, 1, 8) == 'claimed:' then
  local holder = string.match(string.sub(value, 9), '^%d+:%d+:(.*)$')
  if holder == ARGV[1] then
    redis.call('DEL', KEYS[1])
    return 1
  end
end
return 0
