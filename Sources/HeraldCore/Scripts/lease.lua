-- Acquires, renews or releases a partition lease with a fencing token.
-- KEYS[1] = the partition lease   ({pN}:lease)
-- KEYS[2] = the fencing counter   ({pN}:fence)
-- ARGV[1] = 'acquire' | 'renew' | 'release'
-- ARGV[2] = the owner name
-- ARGV[3] = the lease time in milliseconds
-- Returns the lease value 'owner/token' when held after the call, or false.
local current = redis.call('GET', KEYS[1])
local mine = current and string.sub(current, 1, #ARGV[2] + 1) == ARGV[2] .. '/'
if ARGV[1] == 'release' then
  if mine then redis.call('DEL', KEYS[1]) end
  return false
end
if mine then
  redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[3]))
  return current
end
if ARGV[1] == 'renew' or current then
  return false
end
local token = redis.call('INCR', KEYS[2])
local value = ARGV[2] .. '/' .. token
redis.call('SET', KEYS[1], value, 'PX', tonumber(ARGV[3]))
return value
