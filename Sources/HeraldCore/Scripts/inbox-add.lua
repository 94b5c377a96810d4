-- Adds one message unless its id is already there, trims the inbox, counts it unread.
-- KEYS[1] = inbox list ({pN}:inbox:<user>), KEYS[2] = unread counter ({pN}:inbox-unread:<user>)
-- ARGV[1] = message JSON, ARGV[2] = message id, ARGV[3] = capacity
local existing = redis.call('LRANGE', KEYS[1], 0, -1)
local marker = '"id":' .. cjson.encode(ARGV[2])
for _, item in ipairs(existing) do
  if string.find(item, marker, 1, true) then return 0 end
end
redis.call('LPUSH', KEYS[1], ARGV[1])
redis.call('LTRIM', KEYS[1], 0, tonumber(ARGV[3]) - 1)
redis.call('INCR', KEYS[2])
return 1
