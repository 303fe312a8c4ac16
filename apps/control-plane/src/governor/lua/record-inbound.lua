--[[
record-inbound: a message from a contact to the line. Feeds today's inbound count and the
ratio window, marks a first contact as responded (response rate), and clears the pair's
unanswered guard. `now` is an argument, never Redis TIME.

KEYS: 1 day hash  2 hour buckets hash  3 first contacts zset  4 responded zset  5 pair unanswered
ARGV: 1 now ms  2 contact  3 hour  4 day ttl ms  5 response window ms
]]
local now = tonumber(ARGV[1])
local contact = ARGV[2]
redis.call('HINCRBY', KEYS[1], 'inbound', 1)
redis.call('PEXPIRE', KEYS[1], tonumber(ARGV[4]))
redis.call('HINCRBY', KEYS[2], 'i:' .. ARGV[3], 1)
redis.call('PEXPIRE', KEYS[2], 31 * 86400000)
local first = redis.call('ZSCORE', KEYS[3], contact)
local window = tonumber(ARGV[5])
if first and tonumber(first) > now - window then
  -- Scored by the first send, so it leaves the window together with its first contact.
  redis.call('ZADD', KEYS[4], first, contact)
  redis.call('PEXPIRE', KEYS[4], window)
end
redis.call('DEL', KEYS[5])
return 1
