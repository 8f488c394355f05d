import { LuaScript } from '@switchyard/redis-kit';

/**
 * A target's whole circuit is one Redis hash, so each operation is one atomic script on one key
 * and every worker sees the same state:
 * - `open_until` (ms): present means the circuit tripped. Before it: open. At or after it:
 *   half-open. Half-open is derived from the time, not written, so nothing has to run at the
 *   moment the open period ends.
 * - `probe_until` (ms): the half-open probe's lease. Stored as a deadline in the callers' clock
 *   rather than as a key TTL, so a crashed worker's probe lapses on the same clock everything
 *   else uses (and tests can drive it through `now`).
 * - `consec`: consecutive failures while closed.
 * - `b<i>`, `c<i>`, `f<i>`: the rolling window as a ring of fixed slots: which time bucket slot
 *   i holds, and its calls and failures. A fixed ring bounds the hash to 3 × slots fields however
 *   busy the target is; a slot still holding an old bucket is reset when it is next written.
 * Every write refreshes the key's TTL, so a target nobody calls disappears.
 */

/**
 * May a call go to this target? `ttl_ms` is the key's TTL.
 * Returns {allowed 0|1, state, retry-in ms, probe 0|1}.
 */
export const acquireCircuitScript = new LuaScript({
  keys: ['circuit'],
  args: ['now', 'probe_lease_ms', 'ttl_ms'],
  source: `
local now = tonumber(ARG.now)
local v = redis.call('HMGET', KEY.circuit, 'open_until', 'probe_until')
local openUntil = tonumber(v[1])
if not openUntil then return {1, 'closed', 0, 0} end
if now < openUntil then return {0, 'open', openUntil - now, 0} end
local probeUntil = tonumber(v[2]) or 0
if now < probeUntil then return {0, 'half_open', probeUntil - now, 0} end
redis.call('HSET', KEY.circuit, 'probe_until', now + tonumber(ARG.probe_lease_ms))
redis.call('PEXPIRE', KEY.circuit, ARG.ttl_ms)
return {1, 'half_open', 0, 1}
`,
});

/**
 * Records the outcome ('success' | 'failure') of `count` calls and returns the state afterwards.
 * It trips at `trip_consecutive` consecutive failures, or at a failure rate of `trip_rate` over
 * at least `min_calls` calls in the window of `buckets` buckets of `bucket_ms`. While open, outcomes are ignored: those calls were let through before the circuit tripped and
 * say nothing new. While half-open, the outcome is the probe's verdict.
 */
export const recordCircuitScript = new LuaScript({
  keys: ['circuit'],
  args: [
    'now',
    'outcome',
    'trip_consecutive',
    'trip_rate',
    'min_calls',
    'bucket_ms',
    'buckets',
    'open_ms',
    'ttl_ms',
    'count',
  ],
  source: `
local key = KEY.circuit
local now = tonumber(ARG.now)
local failed = ARG.outcome == 'failure'
local openMs = tonumber(ARG.open_ms)
local ttl = ARG.ttl_ms
local count = tonumber(ARG.count)
local function trip()
  redis.call('DEL', key)
  redis.call('HSET', key, 'open_until', now + openMs)
  redis.call('PEXPIRE', key, ttl)
  return 'open'
end

local openUntil = tonumber(redis.call('HGET', key, 'open_until'))
if openUntil then
  if now < openUntil then return 'open' end
  if failed then return trip() end
  redis.call('DEL', key)
  return 'closed'
end

local bucketMs = tonumber(ARG.bucket_ms)
local buckets = tonumber(ARG.buckets)
local bucket = math.floor(now / bucketMs)
local slot = bucket % buckets
if tonumber(redis.call('HGET', key, 'b' .. slot)) ~= bucket then
  redis.call('HSET', key, 'b' .. slot, bucket, 'c' .. slot, 0, 'f' .. slot, 0)
end
redis.call('HINCRBY', key, 'c' .. slot, count)
local consec = 0
if failed then
  redis.call('HINCRBY', key, 'f' .. slot, count)
  consec = redis.call('HINCRBY', key, 'consec', count)
else
  redis.call('HSET', key, 'consec', 0)
end
if consec >= tonumber(ARG.trip_consecutive) then return trip() end

local fields = {}
for i = 0, buckets - 1 do
  fields[#fields + 1] = 'b' .. i
  fields[#fields + 1] = 'c' .. i
  fields[#fields + 1] = 'f' .. i
end
local v = redis.call('HMGET', key, unpack(fields))
local calls, failures = 0, 0
for i = 0, buckets - 1 do
  local b = tonumber(v[3 * i + 1])
  if b and b > bucket - buckets then
    calls = calls + tonumber(v[3 * i + 2])
    failures = failures + tonumber(v[3 * i + 3])
  end
end
if calls >= tonumber(ARG.min_calls) and failures >= tonumber(ARG.trip_rate) * calls then return trip() end
redis.call('PEXPIRE', key, ttl)
return 'closed'
`,
});
