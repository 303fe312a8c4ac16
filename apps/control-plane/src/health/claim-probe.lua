-- Claims the right to probe one node in one poll epoch, and returns what the
-- poller remembers about that node.
-- KEYS[1] {node:<id>}:poll    last epoch claimed for this node
-- KEYS[2] {node:<id>}:health  the health state machine's memory (JSON)
-- ARGV[1] epoch (floor(now / interval))   ARGV[2] lease TTL in ms
-- Returns false when this epoch (or a later one) is already claimed, else the
-- memory ('' when none). A process whose clock jumped back finds no claim
-- once the TTL (two intervals) has passed, so polling resumes by itself.
local last = tonumber(redis.call('GET', KEYS[1]) or '-1')
local epoch = tonumber(ARGV[1])
if last >= epoch then
  return false
end
redis.call('SET', KEYS[1], ARGV[1], 'PX', ARGV[2])
return redis.call('GET', KEYS[2]) or ''
