-- Removes a consumer from a stream's group only while it holds nothing and has been idle long
-- enough, atomically: XGROUP DELCONSUMER would drop the pending entries of a consumer that read
-- between a check and the delete.
-- KEYS[1] = the stream
-- ARGV[1] = the group
-- ARGV[2] = the consumer
-- ARGV[3] = the least idle time in milliseconds
-- Returns 1 when removed, 0 when it holds entries, is not idle long enough, or does not exist.
local ok, consumers = pcall(redis.call, 'XINFO', 'CONSUMERS', KEYS[1], ARGV[1])
if not ok then return 0 end
for _, consumer in ipairs(consumers) do
  local fields = {}
  for i = 1, #consumer, 2 do fields[consumer[i]] = consumer[i + 1] end
  if fields['name'] == ARGV[2] then
    if tonumber(fields['pending']) == 0 and tonumber(fields['idle']) >= tonumber(ARGV[3]) then
      redis.call('XGROUP', 'DELCONSUMER', KEYS[1], ARGV[1], ARGV[2])
      return 1
    end
    return 0
  end
end
return 0
