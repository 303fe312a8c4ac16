-- Raises a governor day's counters to at least the given values (never lowers them):
-- after Redis lost data, the day is rebuilt from PostgreSQL's record of what was sent.
-- KEYS[1] the day hash
-- ARGV[1] sent, ARGV[2] new, ARGV[3] inbound, ARGV[4] ttl (ms) when the key has none
local fields = {'sent', 'new', 'inbound'}
for i, field in ipairs(fields) do
  local current = tonumber(redis.call('HGET', KEYS[1], field) or '0')
  local floor = tonumber(ARGV[i])
  if floor > current then redis.call('HSET', KEYS[1], field, floor) end
end
if redis.call('PTTL', KEYS[1]) == -1 then redis.call('PEXPIRE', KEYS[1], ARGV[4]) end
return 1
