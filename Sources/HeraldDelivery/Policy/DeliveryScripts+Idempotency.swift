extension DeliveryScripts {
    /// Claims an idempotency key before the provider is called.
    ///
    /// The key holds `claimed:<consumer>:<claimed_at_ms>` while a sender works on it, then
    /// `sent:<providerMessageId>`. The claim marker lives for two leases so that a claim whose lease
    /// ran out is still visible and reported as a takeover (a possible duplicate worth logging)
    /// rather than looking like a fresh key.
    ///
    /// - `KEYS[1]`: the idempotency key, e.g. `herald:{p7}:idem:<idempotencyKey>`.
    /// - `ARGV`: `consumer`, `now_ms`, `lease_ms`.
    /// - Reply, always three strings: `{"claimed", "", ""}` (new, or this consumer's own claim,
    ///   refreshed); `{"taken_over", previous_consumer, ""}` (that consumer's lease had expired);
    ///   `{"already_sent", provider_message_id, ""}` (never call the provider);
    ///   `{"busy", holder, lease_expires_at_ms}` (another consumer holds a live lease).
    ///   A value in neither form is an error reply.
    public static let idempotencyClaim = """
        local value = redis.call('GET', KEYS[1])
        local consumer = ARGV[1]
        local now = tonumber(ARGV[2])
        local lease = tonumber(ARGV[3])
        local function claim()
          redis.call('SET', KEYS[1], 'claimed:' .. consumer .. ':' .. ARGV[2], 'PX', string.format('%d', lease * 2))
        end
        if not value then
          claim()
          return {'claimed', '', ''}
        end
        if string.sub(value, 1, 5) == 'sent:' then
          return {'already_sent', string.sub(value, 6), ''}
        end
        if string.sub(value, 1, 8) == 'claimed:' then
          local holder, at = string.match(string.sub(value, 9), '^(.*):(%d+)$')
          if holder == consumer then
            claim()
            return {'claimed', '', ''}
          end
          if holder and now >= tonumber(at) + lease then
            claim()
            return {'taken_over', holder, ''}
          end
          return {'busy', holder or '', string.format('%d', (tonumber(at) or now) + lease)}
        end
        return redis.error_reply('idempotency key holds an unexpected value: ' .. value)
        """

    /// Records that the provider accepted the message.
    ///
    /// - `KEYS[1]`: the idempotency key.
    /// - `ARGV`: `consumer`, `provider_message_id`, `ttl_ms` (e.g. 30 days).
    /// - Reply: `{"recorded", ""}` (this consumer held the claim); `{"recorded_without_claim",
    ///   previous_value}` (recorded, but the claim had been taken over or had vanished: another
    ///   consumer may also have sent); `{"already_sent", provider_message_id}` (someone recorded
    ///   first; the stored id is kept).
    public static let idempotencyRecord = """
        local value = redis.call('GET', KEYS[1])
        if value and string.sub(value, 1, 5) == 'sent:' then
          return {'already_sent', string.sub(value, 6)}
        end
        redis.call('SET', KEYS[1], 'sent:' .. ARGV[2], 'PX', ARGV[3])
        local mine = 'claimed:' .. ARGV[1] .. ':'
        if value and string.sub(value, 1, #mine) == mine then
          return {'recorded', ''}
        end
        return {'recorded_without_claim', value or ''}
        """

    /// Gives up a claim after a failed attempt, so the retry (by any consumer) can claim at once.
    ///
    /// - `KEYS[1]`: the idempotency key.
    /// - `ARGV[1]`: `consumer`.
    /// - Reply: `1` released; `0` the key is not claimed by this consumer (sent, or someone else's).
    public static let idempotencyRelease = """
        local value = redis.call('GET', KEYS[1])
        local mine = 'claimed:' .. ARGV[1] .. ':'
        if value and string.sub(value, 1, #mine) == mine then
          redis.call('DEL', KEYS[1])
          return 1
        end
        return 0
        """
}
