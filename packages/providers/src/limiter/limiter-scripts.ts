import { LuaScript } from '@switchyard/redis-kit';

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
 * `ARG.rules` lists `group_count` groups, each as its rule count, then per rule: kind, windowMs,
 * limit; `KEY.rules` holds every rule's key, in the same order. `lag_ms` dates the admission
 * later than `now` in the request logs (see SharedLimiter.acquire).
 * Returns {groupIndex (1-based), 0} when admitted, or {0, waitMs}.
 */
export const ACQUIRE = new LuaScript({
  keys: ['rules...'],
  args: ['now', 'member', 'tokens', 'lease_ms', 'group_count', 'lag_ms', 'rules...'],
  source: `
local now = tonumber(ARG.now)
local member = ARG.member
local tokens = tonumber(ARG.tokens)
local leaseMs = tonumber(ARG.lease_ms)
local groupCount = tonumber(ARG.group_count)
local loggedAt = now + tonumber(ARG.lag_ms)
local a, k = 1, 1
local shortest = nil

local function bucketWidth(win) return math.max(1, math.floor(win / 20)) end

for g = 1, groupCount do
  local ruleCount = tonumber(ARG.rules[a]); a = a + 1
  local rules = {}
  local wait = 0
  for r = 1, ruleCount do
    local kind, win, limit = ARG.rules[a], tonumber(ARG.rules[a + 1]), tonumber(ARG.rules[a + 2])
    a = a + 3
    local key = KEY.rules[k]; k = k + 1
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
`,
});

/**
 * After the call: token windows take the real usage instead of the estimate (never below zero),
 * and the in-flight lease is returned. `KEY.rules` are the admitted group's `tok` and `conc`
 * keys; `ARG.rules` gives each one's kind and windowMs, in the same order.
 */
export const SETTLE = new LuaScript({
  keys: ['rules...'],
  args: ['admitted_at', 'member', 'token_delta', 'rules...'],
  source: `
local admittedAt = tonumber(ARG.admitted_at)
local member = ARG.member
local delta = tonumber(ARG.token_delta)
for i, key in ipairs(KEY.rules) do
  local kind, win = ARG.rules[i * 2 - 1], tonumber(ARG.rules[i * 2])
  if kind == 'tok' and delta ~= 0 then
    local field = math.floor(admittedAt / math.max(1, math.floor(win / 20)))
    if redis.call('HINCRBY', key, field, delta) < 0 then redis.call('HSET', key, field, 0) end
  elseif kind == 'conc' then
    redis.call('ZREM', key, member)
  end
end
return 1
`,
});

/** Holds a group back until `until_ms`, keeping the later of two holds. */
export const HOLD = new LuaScript({
  keys: ['block', 'request_logs...'],
  args: ['until_ms', 'now', 'windows...'],
  source: `
local now = tonumber(ARG.now)
-- A spent budget the request logs already count (one of them is full) needs no hold: the
-- limiter waits for exactly the right slot, where the provider's reset is when its window is
-- back to full. \`windows\` holds a window and a limit per request log.
for i, key in ipairs(KEY.request_logs) do
  local win, limit = tonumber(ARG.windows[2 * i - 1]), tonumber(ARG.windows[2 * i])
  redis.call('ZREMRANGEBYSCORE', key, '-inf', now - win)
  if redis.call('ZCARD', key) >= limit then return 0 end
end
local untilMs = tonumber(ARG.until_ms)
local current = tonumber(redis.call('GET', KEY.block) or '0')
if untilMs > current then
  redis.call('SET', KEY.block, untilMs, 'PX', math.max(1, untilMs - now))
end
return 1
`,
});

/**
 * Moves a call's entries in the request logs to when its request actually left (never earlier):
 * the provider counts arrivals, and the time from admission to sending varies with the load of
 * the process. `request_logs` are the admitted group's `req` keys.
 */
export const REDATE = new LuaScript({
  keys: ['request_logs...'],
  args: ['sent_at', 'member'],
  source: `
for _, key in ipairs(KEY.request_logs) do redis.call('ZADD', key, 'XX', 'GT', ARG.sent_at, ARG.member) end
return 1
`,
});
