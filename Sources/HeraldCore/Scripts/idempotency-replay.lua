-- An operator's replay of a parked (`unknown:`) send: clears the marker and puts the request
-- back on its outbox, atomically, only while the key is still parked.
--
-- - `KEYS[1]`: the idempotency key; `KEYS[2]`: the channel's outbox of the same partition.
-- - `ARGV[1]`: the send request JSON.
-- - Reply: the new outbox entry id, or `0` when the key is not parked (sent since, or replayed).
local value = redis.call('GET', KEYS[1])
if not value or string.sub(value, 1, 8) ~= 'unknown:' then
  return 0
end
redis.call('DEL', KEYS[1])
return redis.call('XADD', KEYS[2], '*', 'request', ARGV[1])
