--[[
release: give back what gate-and-consume took for a send that definitively failed before
reaching Apple. Idempotent: the reservation hash is deleted on the first call, so a retried
release gives nothing back twice. Pacing is left alone (the line did act).

KEYS: 1 reservation hash  2 day hash  3 hour buckets hash  4 new-contact sends zset
      5 first contacts zset  6 pair sends zset  7 pair unanswered
ARGV: 1 reservation id  2 contact
Returns 1 when something was given back, 0 when there was nothing to release.
]]
local reservation = redis.call('HMGET', KEYS[1], 'hour', 'new')
if not reservation[1] then return 0 end
redis.call('DEL', KEYS[1])

local function decrement_hash(key, field)
  if tonumber(redis.call('HGET', key, field) or '0') > 0 then redis.call('HINCRBY', key, field, -1) end
end

decrement_hash(KEYS[2], 'sent')
decrement_hash(KEYS[3], 'o:' .. reservation[1])
if reservation[2] == '1' then
  decrement_hash(KEYS[2], 'new')
  redis.call('ZREM', KEYS[4], ARGV[1])
  redis.call('ZREM', KEYS[5], ARGV[2])
end
redis.call('ZREM', KEYS[6], ARGV[1])
if tonumber(redis.call('GET', KEYS[7]) or '0') > 0 then redis.call('DECR', KEYS[7]) end
return 1
