-- Leases one given line outside the dispatch loop (the drain worker moving its
-- messages away), so no dispatcher works the line meanwhile. Refused while a live
-- lease exists; an expired lease (its worker died) is taken over.
-- KEYS[1] ready zset, KEYS[2] inflight zset
-- ARGV[1] lineId, ARGV[2] now (ms), ARGV[3] lease (ms)
-- Returns -1 when leased by someone else, else the time the line was due to be
-- tried (its ready score, or now when it was idle): settle with it to keep its place.
local now = tonumber(ARGV[2])
local leased = redis.call('ZSCORE', KEYS[2], ARGV[1])
if leased and tonumber(leased) > now then return -1 end
local due = redis.call('ZSCORE', KEYS[1], ARGV[1])
redis.call('ZREM', KEYS[1], ARGV[1])
redis.call('ZADD', KEYS[2], now + tonumber(ARGV[3]), ARGV[1])
if due then return tonumber(due) end
return now
