import { LuaScript } from '@switchyard/queue';

/**
 * Admission for one call, atomically across every worker process. The caller passes candidate
 * groups (one per provider API key, each with its rules: the key's limits and the model's limits
 * on that key); the first group whose every rule has room is charged and its index returned,
 * otherwise nothing is charged and the shortest wait until some group could have room.
 *
 * Rules, one Redis key each:
 * - `req`  calls in a sliding window: a sorted-set log of admissions (exact, like the providers'),
 *          smoothed (calls at least half of window/limit apart);
 * - `tok`  tokens in a sliding window: 20 buckets per window, summed conservatively (a bucket
 *          counts until its end has left the window), so the log stays small at any TPM;
 * - `conc` calls in flight: a sorted set of leases scored by expiry (a crashed worker's lease
 *          lapses by itself);
 * - `block` a time before which nothing goes (set after a 429 or an exhausted header).
 *
 * ARGV: now, member, tokens, leaseMs, groupCount, lagMs, then per group: ruleCount, then per
 * rule: kind, windowMs, limit. KEYS: every rule's key, in the same order. `lagMs` dates the
 * admission later than `now` in the request logs (see SharedLimiter.acquire).
 * Returns {groupIndex (1-based), 0} when admitted, or {0, waitMs}.
 */
export const ACQUIRE = new LuaScript(`
local now = tonumber(ARGV[1])
local member = ARGV[2]
local tokens = tonumber(ARGV[3])
local leaseMs = tonumber(ARGV[4])
local groupCount = tonumber(ARGV[5])
local loggedAt = now + tonumber(ARGV[6])
local a, k = 7, 1
local shortest = nil

local function bucketWidth(win) return math.max(1, math.floor(win / 20)) end

for g = 1, groupCount do
  local ruleCount = tonumber(ARGV[a]); a = a + 1
  local rules = {}
  local wait = 0
  for r = 1, ruleCount do
    local kind, win, limit = ARGV[a], tonumber(ARGV[a + 1]), tonumber(ARGV[a + 2])
    a = a + 3
    local key = KEYS[k]; k = k + 1
    rules[r] = { kind, win, limit, key }
    local w = 0
    if kind == 'req' then
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now - win)
      local count = redis.call('ZCARD', key)
      if count >= limit then
        local entry = redis.call('ZRANGE', key, count - limit, count - limit, 'WITHSCORES')
        w = tonumber(entry[2]) + win - now + 1
      end
      -- Smoothed, not bursty: calls start at least half a fair share (win/limit/2) apart, so a
      -- backlog never fires a burst at the window's edge, where the jitter between admission
      -- and arrival at the provider could reorder it. The count above still sets the rate.
      if count > 0 then
        local newest = redis.call('ZRANGE', key, -1, -1, 'WITHSCORES')
        local spaced = tonumber(newest[2]) + win / limit / 2 - now
        if spaced > w then w = spaced end
      end
    elseif kind == 'tok' then
      local b = bucketWidth(win)
      local oldest = math.floor((now - win) / b)
      local fields = redis.call('HGETALL', key)
      local used, live = 0, {}
      for i = 1, #fields, 2 do
        local index, amount = tonumber(fields[i]), tonumber(fields[i + 1])
        if index < oldest then
          redis.call('HDEL', key, fields[i])
        else
          used = used + amount
          live[#live + 1] = { index, amount }
        end
      end
      local need = used + math.min(tokens, limit) - limit
      if need > 0 then
        table.sort(live, function(x, y) return x[1] < y[1] end)
        local freed = 0
        for _, bucket in ipairs(live) do
          freed = freed + bucket[2]
          if freed >= need then
            w = (bucket[1] + 1) * b + win - now
            break
          end
        end
      end
    elseif kind == 'conc' then
      redis.call('ZREMRANGEBYSCORE', key, '-inf', now)
      if redis.call('ZCARD', key) >= limit then
        -- Nobody can say when a call ends: look again soon (the caller polls one waiter at a time).
        local first = redis.call('ZRANGE', key, 0, 0, 'WITHSCORES')
        w = math.min(tonumber(first[2]) - now, 100)
      end
    elseif kind == 'block' then
      local untilMs = tonumber(redis.call('GET', key) or '0')
      if untilMs > now then w = untilMs - now end
    end
    if w > wait then wait = w end
  end
  if wait <= 0 then
    for _, rule in ipairs(rules) do
      local kind, win, limit, key = rule[1], rule[2], rule[3], rule[4]
      if kind == 'req' then
        redis.call('ZADD', key, loggedAt, member)
        redis.call('PEXPIRE', key, win + 1000)
      elseif kind == 'tok' then
        local b = bucketWidth(win)
        redis.call('HINCRBY', key, math.floor(now / b), math.min(tokens, limit))
        redis.call('PEXPIRE', key, win + b + 1000)
      elseif kind == 'conc' then
        redis.call('ZADD', key, now + leaseMs, member)
        redis.call('PEXPIRE', key, leaseMs + 1000)
      end
    end
    return { g, 0 }
  end
  if shortest == nil or wait < shortest then shortest = wait end
end
return { 0, shortest }
`);

/**
 * After the call: token windows take the real usage instead of the estimate (never below zero),
 * and the in-flight lease is returned. ARGV: admittedAt, member, tokenDelta, then per key: kind,
 * windowMs. KEYS: the admitted group's `tok` and `conc` keys.
 */
export const SETTLE = new LuaScript(`
local admittedAt = tonumber(ARGV[1])
local member = ARGV[2]
local delta = tonumber(ARGV[3])
for i = 1, #KEYS do
  local kind, win = ARGV[2 + i * 2], tonumber(ARGV[3 + i * 2])
  if kind == 'tok' and delta ~= 0 then
    local field = math.floor(admittedAt / math.max(1, math.floor(win / 20)))
    if redis.call('HINCRBY', KEYS[i], field, delta) < 0 then redis.call('HSET', KEYS[i], field, 0) end
  elseif kind == 'conc' then
    redis.call('ZREM', KEYS[i], member)
  end
end
return 1
`);

/** Holds a group back until ARGV[1] (ms), keeping the later of two holds. KEYS: the block key. */
export const HOLD = new LuaScript(`
local untilMs = tonumber(ARGV[1])
local current = tonumber(redis.call('GET', KEYS[1]) or '0')
if untilMs > current then
  redis.call('SET', KEYS[1], untilMs, 'PX', math.max(1, untilMs - tonumber(ARGV[2])))
end
return 1
`);

/**
 * Moves a call's entries in the request logs to when its request actually left (never earlier):
 * the provider counts arrivals, and the time from admission to sending varies with the load of
 * the process. KEYS: the admitted group's `req` keys. ARGV: sentAt, member.
 */
export const REDATE = new LuaScript(`
for i = 1, #KEYS do redis.call('ZADD', KEYS[i], 'XX', 'GT', ARGV[1], ARGV[2]) end
return 1
`);
