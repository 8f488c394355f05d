import { LuaScript } from '@switchyard/queue';

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
 * May a call go to this target?
 * KEYS: circuit. ARGV: now ms, probe lease ms, key TTL ms.
 * Returns {allowed 0|1, state, retry-in ms, probe 0|1}.
 */
export const acquireCircuitScript = new LuaScript(`
local now = tonumber(ARGV[1])
local v = redis.call('HMGET', KEYS[1], 'open_until', 'probe_until')
local openUntil = tonumber(v[1])
if not openUntil then return {1, 'closed', 0, 0} end
if now < openUntil then return {0, 'open', openUntil - now, 0} end
local probeUntil = tonumber(v[2]) or 0
if now < probeUntil then return {0, 'half_open', probeUntil - now, 0} end
redis.call('HSET', KEYS[1], 'probe_until', now + tonumber(ARGV[2]))
redis.call('PEXPIRE', KEYS[1], ARGV[3])
return {1, 'half_open', 0, 1}
`);

/**
 * Records the outcome of `count` calls (ARGV[10], default 1) and returns the state afterwards.
 * KEYS: circuit. ARGV: now ms, 'success' | 'failure', consecutive failures to trip, failure
 * rate to trip, min calls for the rate, bucket ms, bucket count, open ms, key TTL ms.
 * While open, outcomes are ignored: those calls were let through before the circuit tripped and
 * say nothing new. While half-open, the outcome is the probe's verdict.
 */
export const recordCircuitScript = new LuaScript(`
local key = KEYS[1]
local now = tonumber(ARGV[1])
local failed = ARGV[2] == 'failure'
local openMs = tonumber(ARGV[8])
local ttl = ARGV[9]
local count = tonumber(ARGV[10] or '1')
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

local bucketMs = tonumber(ARGV[6])
local buckets = tonumber(ARGV[7])
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
if consec >= tonumber(ARGV[3]) then return trip() end

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
if calls >= tonumber(ARGV[5]) and failures >= tonumber(ARGV[4]) * calls then return trip() end
redis.call('PEXPIRE', key, ttl)
return 'closed'
`);
