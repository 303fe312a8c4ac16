-- Ends a worker's lease on a line: removes the messages it finished and puts the
-- line back in the ready set at the time it may next be tried, or drops it when
-- its queue is empty.
-- KEYS[1] ready zset, KEYS[2] inflight zset, KEYS[3] the line's queue zset
-- ARGV[1] lineId, ARGV[2] next try time (ms), ARGV[3..] messageIds to remove
-- Returns the number of messages left in the line's queue.
for i = 3, #ARGV do
  redis.call('ZREM', KEYS[3], ARGV[i])
end
redis.call('ZREM', KEYS[2], ARGV[1])
local left = redis.call('ZCARD', KEYS[3])
if left > 0 then
  redis.call('ZADD', KEYS[1], ARGV[2], ARGV[1])
else
  redis.call('ZREM', KEYS[1], ARGV[1])
end
return left
