--[[
gate-and-consume: the anti-spam governor's decision for one outbound message, and, only if
every rule passes, the counters it consumes, in one atomic step. Mirrors decideGate in
libs/policy/src/governor/decide-gate.ts rule for rule and in the same order; time-zone,
warm-up and jitter arithmetic happen in TypeScript and arrive here as numbers. Time is the
`now` argument, never Redis TIME, so tests control the clock. TTLs (relative, never
absolute) only collect garbage and always outlive the window a key serves.

KEYS (all hash-tagged {line:<id>}, one cluster slot):
  1 day hash (sent, new, inbound)   2 new-contact sends zset (member reservation, score ms)
  3 hour buckets hash (o:<h>, i:<h>)  4 first contacts zset (member contact, score first send ms)
  5 responded zset (same scores)    6 pacing hash (last, jitter)
  7 pair sends zset                 8 pair unanswered counter
  9 reservation hash (what release gives back)
Returns {1} when allowed, {0, reason, waitUntilMs} when held.
]]
local now = tonumber(ARGV[1])
local reservation = ARGV[2]
local contact = ARGV[3]
local sendable = ARGV[4] == '1'
local reputation_throttled = ARGV[5] == '1'
local new_contact = ARGV[6] == '1'
local wrote_recently = ARGV[7] == '1'
local request_unanswered = tonumber(ARGV[8])
local daily_cap = tonumber(ARGV[9])
local daily_new_cap = tonumber(ARGV[10])
local hourly_new_cap = tonumber(ARGV[11])
local max_ratio = tonumber(ARGV[12])
local window_hours = tonumber(ARGV[13])
local min_sample = tonumber(ARGV[14])
local gap_ms = tonumber(ARGV[15])
local max_unanswered = tonumber(ARGV[16])
local loop_max = tonumber(ARGV[17])
local loop_window_ms = tonumber(ARGV[18])
local rr_floor = tonumber(ARGV[19])
local rr_min_sample = tonumber(ARGV[20])
local rr_window_ms = tonumber(ARGV[21])
local recheck_ms = tonumber(ARGV[22])
local day_end = tonumber(ARGV[23])
local day = ARGV[24]
local hour = tonumber(ARGV[25])
local next_jitter = tonumber(ARGV[26])
local HOUR = 3600000
local DAY = 86400000

local function held(reason, at)
  return {0, reason, at}
end

-- A rolling-window cap (rolling-window.ts): nil when one more fits, else when a slot frees.
local function rolling_release(key, cap, window_ms)
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - window_ms)
  local count = redis.call('ZCARD', key)
  if count < cap then return nil end
  if cap == 0 then return now + window_ms end
  local entry = redis.call('ZRANGE', key, count - cap, count - cap, 'WITHSCORES')
  return tonumber(entry[2]) + window_ms
end

-- ratio.ts: over when the sample is met and one more send exceeds maxRatio × inbound.
local function over_ratio(sent, inbound)
  return sent >= min_sample and sent + 1 > max_ratio * inbound
end

local function ratio_release()
  local oldest = hour - window_hours + 1
  local fields = redis.call('HGETALL', KEYS[3])
  local buckets, hours, sent, inbound = {}, {}, 0, 0
  for i = 1, #fields, 2 do
    local kind, h = string.match(fields[i], '^(%a):(%-?%d+)$')
    h = tonumber(h)
    local n = tonumber(fields[i + 1])
    if h < oldest then
      redis.call('HDEL', KEYS[3], fields[i])
    else
      if not buckets[h] then buckets[h] = {0, 0}; hours[#hours + 1] = h end
      if kind == 'o' then buckets[h][1] = buckets[h][1] + n; sent = sent + n
      else buckets[h][2] = buckets[h][2] + n; inbound = inbound + n end
    end
  end
  if not over_ratio(sent, inbound) then return nil end
  table.sort(hours)
  for _, h in ipairs(hours) do
    sent = sent - buckets[h][1]
    inbound = inbound - buckets[h][2]
    if not over_ratio(sent, inbound) then return (h + window_hours) * HOUR end
  end
  return now + recheck_ms
end

if not sendable then return held('line_not_sendable', now + recheck_ms) end
local today = redis.call('HMGET', KEYS[1], 'sent', 'new')
local sent_today = tonumber(today[1] or '0')
local new_today = tonumber(today[2] or '0')
if sent_today >= daily_cap then return held('daily_cap', day_end) end
local pace = redis.call('HMGET', KEYS[6], 'last', 'jitter')
if pace[1] then
  local ready = tonumber(pace[1]) + gap_ms + tonumber(pace[2] or '0')
  if ready > now then return held('pacing', ready) end
end

local loop_at = rolling_release(KEYS[7], loop_max, loop_window_ms)
if loop_at then return held('loop_guard', loop_at) end
local unanswered = math.max(request_unanswered, tonumber(redis.call('GET', KEYS[8]) or '0'))
if unanswered >= max_unanswered then return held('unanswered', now + recheck_ms) end

if new_contact then
  redis.call('ZREMRANGEBYSCORE', KEYS[4], '-inf', now - rr_window_ms)
  redis.call('ZREMRANGEBYSCORE', KEYS[5], '-inf', now - rr_window_ms)
  local firsts = redis.call('ZCARD', KEYS[4])
  local responded = redis.call('ZCARD', KEYS[5])
  if reputation_throttled or (firsts >= rr_min_sample and responded < rr_floor * firsts) then
    return held('throttled', now + recheck_ms)
  end
  if new_today >= daily_new_cap then return held('new_contact_daily_cap', day_end) end
  local hour_at = rolling_release(KEYS[2], hourly_new_cap, HOUR)
  if hour_at then return held('new_contact_hourly_cap', hour_at) end
end
if not wrote_recently then
  local ratio_at = ratio_release()
  if ratio_at then return held('ratio', ratio_at) end
end

-- Every rule passed: consume.
local day_ttl = day_end - now + 2 * DAY
redis.call('HINCRBY', KEYS[1], 'sent', 1)
if new_contact then
  redis.call('HINCRBY', KEYS[1], 'new', 1)
  redis.call('ZADD', KEYS[2], now, reservation)
  redis.call('PEXPIRE', KEYS[2], HOUR)
  redis.call('ZADD', KEYS[4], now, contact)
  redis.call('ZREM', KEYS[5], contact)
  redis.call('PEXPIRE', KEYS[4], rr_window_ms)
end
redis.call('PEXPIRE', KEYS[1], day_ttl)
redis.call('HINCRBY', KEYS[3], 'o:' .. string.format('%d', hour), 1)
redis.call('PEXPIRE', KEYS[3], 31 * DAY)
redis.call('HSET', KEYS[6], 'last', now, 'jitter', next_jitter)
redis.call('PEXPIRE', KEYS[6], 2 * 3600000 + gap_ms + next_jitter)
redis.call('ZADD', KEYS[7], now, reservation)
redis.call('PEXPIRE', KEYS[7], loop_window_ms)
-- The pair counter is a concurrency guard over the registry's count; a day outlives any race.
redis.call('SET', KEYS[8], unanswered + 1, 'PX', DAY)
redis.call('HSET', KEYS[9], 'day', day, 'hour', hour, 'new', new_contact and '1' or '0', 'contact', contact)
redis.call('PEXPIRE', KEYS[9], 2 * DAY)
return {1}
