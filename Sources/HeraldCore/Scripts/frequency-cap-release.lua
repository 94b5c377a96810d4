-- Gives a recorded slot back, for a message that was capped-and-recorded but then never
-- delivered (permanent failure, dead letter).
--
-- - `KEYS[1]`: the same sorted set as `frequencyCapCheckAndRecord`.
-- - `ARGV[1]`: the member (idempotency key).
-- - Reply: `1` released, `0` it was not recorded.
return redis.call('ZREM', KEYS[1], ARGV[1])
