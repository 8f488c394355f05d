import { LuaScript } from './lua-script';

/**
 * A job is a Redis hash: `doc` (the record as JSON) beside hot scalar fields that are
 * authoritative over the copies in `doc`: `status`, `rev`, `started_at`; and `tenant`,
 * `created` and `deadline`, which never change, for scripts that must read them. Starting a run then writes a few bytes instead of
 * the whole document (see claimRunScript).
 */

/**
 * Creates a job record and indexes it, or does nothing if the ID exists. The job also goes into
 * the pending-enqueue set in the same step, so a crash before its queue item is added leaves a
 * trace the EnqueueReconciler finds (no extra round trip on the submit path). A job with a
 * webhook is refused while the outbox holds its limit of events: admission is where the outbox
 * pushes back, since the events of jobs already accepted must always go in.
 * KEYS: job, tenant index, tenant queued index, pending-enqueue set, webhook outbox. ARGV: id,
 * tenant, doc, created ms, deadline ms ('' = none), '1' if its start is announced by webhook
 * ('' = not), outbox limit ('' = the job has no webhook).
 * Returns 1 if created, 0 if the ID exists, -1 if refused for a full outbox.
 */
export const createJobScript = new LuaScript(`
if redis.call('EXISTS', KEYS[1]) == 1 then return 0 end
if ARGV[7] ~= '' and redis.call('XLEN', KEYS[5]) >= tonumber(ARGV[7]) then return -1 end
redis.call('HSET', KEYS[1], 'rev', 1, 'status', 'queued', 'tenant', ARGV[2], 'doc', ARGV[3], 'created', ARGV[4], 'deadline', ARGV[5], 'start_hook', ARGV[6])
redis.call('ZADD', KEYS[2], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[3], ARGV[4], ARGV[1])
redis.call('ZADD', KEYS[4], ARGV[4], ARGV[1])
return 1
`);

/**
 * Compare-and-set write of a job record. Succeeds only if the stored revision is the one the
 * writer read, so a worker finishing a call and a client cancelling can never both win: the
 * loser re-reads and sees what happened. Moves the job between status indexes, and on a final
 * record sets the retention TTL and schedules its index entries for removal at the same time
 * (see sweepExpiredScript); publishes the change; and when the change is one a webhook announces,
 * adds the webhook event to the outbox with the record as written (the job as the webhook shows
 * it), so no ended job can miss its event. All in one atomic step. The outbox is never trimmed
 * (see createJobScript for its bound); its entries are laid out as webhook-event.ts reads them.
 * KEYS: job, expiring set, webhook outbox. ARGV: expected rev, new status, new doc, ttl ms (0 =
 * none), status index prefix, id, created ms, events channel, event payload, started_at ms ('' =
 * none), expires-at ms, expiring member ('tenant|status|id'), outbox entry ('' = none).
 * Returns {1, rev} on success, {0, rev} on a revision conflict, {-1} if the job is gone.
 */
export const transitionJobScript = new LuaScript(`
local current = redis.call('HMGET', KEYS[1], 'rev', 'status')
if not current[1] then return {-1} end
if current[1] ~= ARGV[1] then return {0, tonumber(current[1])} end
local rev = tonumber(current[1]) + 1
redis.call('HSET', KEYS[1], 'rev', rev, 'status', ARGV[2], 'doc', ARGV[3], 'started_at', ARGV[10])
if current[2] ~= ARGV[2] then
  redis.call('ZREM', ARGV[5] .. current[2], ARGV[6])
  redis.call('ZADD', ARGV[5] .. ARGV[2], ARGV[7], ARGV[6])
end
local ttl = tonumber(ARGV[4])
if ttl > 0 then
  redis.call('PEXPIRE', KEYS[1], ttl)
  redis.call('ZADD', KEYS[2], ARGV[11], ARGV[12])
end
redis.call('PUBLISH', ARGV[8], ARGV[9])
if ARGV[13] ~= '' then
  redis.call('XADD', KEYS[3], '*', 'event', ARGV[13], 'doc', ARGV[3], 'status', ARGV[2], 'rev', rev, 'started_at', ARGV[10])
end
return {1, rev}
`);

/**
 * Removes the index entries of jobs whose records have expired: up to ARGV[2] of them whose
 * time (ARGV[1]) has come. A job record expires by TTL; its entries in the tenant's sorted sets
 * would otherwise stay for ever (and Redis runs without eviction).
 * KEYS: expiring set. ARGV: now ms, batch size, tenant index prefix. Returns how many.
 */
export const sweepExpiredScript = new LuaScript(`
local due = redis.call('ZRANGEBYSCORE', KEYS[1], '-inf', ARGV[1], 'LIMIT', 0, tonumber(ARGV[2]))
for _, member in ipairs(due) do
  local tenant, status, id = string.match(member, '^(.*)|([^|]*)|([^|]*)$')
  redis.call('ZREM', ARGV[3] .. tenant, id)
  redis.call('ZREM', ARGV[3] .. tenant .. ':' .. status, id)
end
if #due > 0 then redis.call('ZREM', KEYS[1], unpack(due)) end
return #due
`);

/**
 * A worker's first step with a job: read it and, if it is queued and its deadline has not
 * passed, mark it running, in one round trip and without rewriting the document. A worker holds
 * its queue item, so the job's enqueue is known to have happened: it leaves the pending-enqueue
 * set whatever the claim finds.
 * KEYS: job, webhook outbox, pending-enqueue set. ARGV: now ms, tenant index prefix (the tenant ID and ':<status>'
 * follow), id, events channel, the `job.started` webhook event (written, with the running
 * record, if the job asked for it).
 * Returns {doc, status, rev, started_at} as stored afterwards, or nil if the job is gone.
 */
export const claimRunScript = new LuaScript(`
redis.call('ZREM', KEYS[3], ARGV[3])
local f = redis.call('HMGET', KEYS[1], 'doc', 'status', 'rev', 'started_at', 'deadline', 'tenant', 'created', 'start_hook')
if not f[1] then return nil end
local deadline = tonumber(f[5])
if f[2] ~= 'queued' or (deadline and tonumber(ARGV[1]) >= deadline) then
  return {f[1], f[2], f[3], f[4] or ''}
end
local rev = tonumber(f[3]) + 1
local index = ARGV[2] .. f[6] .. ':'
redis.call('HSET', KEYS[1], 'status', 'running', 'rev', rev, 'started_at', ARGV[1])
redis.call('ZREM', index .. 'queued', ARGV[3])
redis.call('ZADD', index .. 'running', f[7], ARGV[3])
redis.call('PUBLISH', ARGV[4], '{"type":"status","status":"running","rev":' .. rev .. '}')
if f[8] == '1' then
  redis.call('XADD', KEYS[2], '*', 'event', ARGV[5], 'doc', f[1], 'status', 'running', 'rev', rev, 'started_at', ARGV[1])
end
return {f[1], 'running', tostring(rev), ARGV[1]}
`);
