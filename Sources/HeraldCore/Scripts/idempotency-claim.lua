-- Claims an idempotency key before the provider is called; the values are `IdempotencyMarker`'s.
--
-- A claim marker lives for two leases, so a claim whose lease ran out is still seen (and
-- handled as uncertain) rather than looking like a fresh key.
--
-- - `KEYS[1]`: the idempotency key, `herald:{pN}:sent:<idempotencyKey>` (`Keyspace.idempotency`).
-- - `ARGV`: `consumer`, `attempt`, `now_ms`, `lease_ms`, `uncertain` (`resend` or `park`),
-- `retention_ms` (how long an `unknown:` marker is kept).
-- - Reply, always three strings: `{"claimed", "", ""}` (new, or this consumer's own claim,
-- refreshed); `{"taken_over", previous, ""}` (the holder's lease had run out, policy resend);
-- `{"parked", previous, ""}` (the same, policy park: now `unknown:`); `{"unknown", previous, ""}`
-- (parked earlier); `{"already_sent", provider_message_id, ""}`; `{"busy", holder,
-- lease_expires_at_ms}` (another consumer holds a live claim); `{"unreadable", value, ""}`
-- (a value in no known form: not sent, not overwritten).
local value = redis.call('GET', KEYS[1])
local consumer, attempt, now_text = ARGV[1], ARGV[2], ARGV[3]
local now, lease = tonumber(now_text), tonumber(ARGV[4])
local function claim()
  redis.call('SET', KEYS[1], 'claimed:' .. now_text .. ':' .. attempt .. ':' .. consumer, 'PX', string.format('%d', lease * 2))
end
if not value then
  claim()
  return {'claimed', '', ''}
end
if string.sub(value, 1, 5) == 'sent:' then
  return {'already_sent', string.sub(value, 6), ''}
end
if string.sub(value, 1, 8) == 'unknown:' then
  local previous = string.match(string.sub(value, 9), '^%d+:(.*)$')
  if previous then return {'unknown', previous, ''} end
end
if string.sub(value, 1, 8) == 'claimed:' then
  local at, holder = string.match(string.sub(value, 9), '^(%d+):%d+:(.*)$')
  if at then
    if holder == consumer then
      claim()
      return {'claimed', '', ''}
    end
    local expires = tonumber(at) + lease
    if now < expires then
      return {'busy', holder, string.format('%d', expires)}
    end
    if ARGV[5] == 'park' then
      redis.call('SET', KEYS[1], 'unknown:' .. now_text .. ':' .. holder, 'PX', ARGV[6])
      return {'parked', holder, ''}
    end
    claim()
    return {'taken_over', holder, ''}
  end
end
return {'unreadable', value, ''}
