-- Removes a message from its line's queue outside a lease (canceled, expired,
-- moved to another line), dropping the line from the ready set when it empties.
-- KEYS[1] ready zset, KEYS[2] inflight zset, KEYS[3] the line's queue zset
-- ARGV[1] lineId, ARGV[2] messageId
local removed = redis.call('ZREM', KEYS[3], ARGV[2])
if redis.call('ZCARD', KEYS[3]) == 0 and not redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return removed
