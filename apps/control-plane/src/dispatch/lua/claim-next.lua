-- Hands out one line that may send now, leasing it so no other worker takes it.
-- Lines whose lease expired (their worker died) are returned to the ready set first.
-- KEYS[1] ready zset, KEYS[2] inflight zset
-- ARGV[1] now (ms), ARGV[2] lease (ms)
-- Returns {lineId} or {false, nextReadyAt|-1}.
local now = tonumber(ARGV[1])
local expired = redis.call('ZRANGEBYSCORE', KEYS[2], '-inf', now, 'LIMIT', 0, 100)
for _, line in ipairs(expired) do
  redis.call('ZREM', KEYS[2], line)
  redis.call('ZADD', KEYS[1], now, line)
end
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', now, 'LIMIT', 0, 1)
if #due == 0 then
  local nextLine = redis.call('ZRANGE', KEYS[1], 0, 0, 'WITHSCORES')
  if #nextLine == 0 then return {false, -1} end
  return {false, nextLine[2]}
end
local line = due[1]
redis.call('ZREM', KEYS[1], line)
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[2]), line)
return {line}
