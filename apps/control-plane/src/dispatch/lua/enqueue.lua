-- Adds a message to its line's queue and makes the line ready if it is idle.
-- KEYS[1] ready zset (lineId -> time the line may next be tried, ms)
-- KEYS[2] inflight zset (lineId -> lease expiry, ms)
-- KEYS[3] the line's queue zset (messageId -> seq)
-- ARGV[1] lineId, ARGV[2] messageId, ARGV[3] seq, ARGV[4] now (ms)
-- Returns 1 if the message was added, 0 if it was already queued.
local added = redis.call('ZADD', KEYS[3], 'NX', ARGV[3], ARGV[2])
if redis.call('ZSCORE', KEYS[2], ARGV[1]) then
  return added
end
-- A parked line keeps its later wake-up time; an idle line becomes ready now.
redis.call('ZADD', KEYS[1], 'NX', ARGV[4], ARGV[1])
return added
