-- Takes a line's drain slot for this minute: at most one worker, on any replica, moves a
-- batch of the line's contacts per slot, so the pace holds however many workers run.
-- KEYS[1] the line's drain-pace key
-- ARGV[1] now (ms), ARGV[2] when the next slot opens (ms), ARGV[3] key lifetime (ms)
-- Returns 1 when the slot was taken, 0 when it is not open yet.
local openAt = tonumber(redis.call('GET', KEYS[1]) or '0')
if openAt > tonumber(ARGV[1]) then return 0 end
redis.call('SET', KEYS[1], ARGV[2], 'PX', ARGV[3])
return 1
