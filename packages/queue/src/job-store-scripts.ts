import { LuaScript } from '@switchyard/redis-kit';

/**
 * A job is a Redis hash: `doc` (the record as JSON) beside hot scalar fields that are
 * authoritative over the copies in `doc`: `status`, `rev`, `started_at`; and `tenant`,
 * `created` and `deadline`, which never change, for scripts that must read them. Starting a run
 * then writes a few bytes instead of the whole document (see claimRunScript).
 */

/**
 * Creates a job record and indexes it, or does nothing if the ID exists. The job also goes into
 * the pending-enqueue set in the same step, so a crash before its queue item is added leaves a
 * trace the EnqueueReconciler finds (no extra round trip on the submit path). A job with a
 * webhook is refused while the outbox holds its limit of events: admission is where the outbox
 * pushes back, since the events of jobs already accepted must always go in.
 * `deadline` is '' for none, `start_hook` '1' if its start is announced by webhook ('' = not),
 * `outbox_limit` '' when the job has no webhook.
 * The job's event stream (`events`, capped near `events_max_len` entries) gets its `queued`.
 * Returns 1 if created, 0 if the ID exists, -1 if refused for a full outbox.
 */
export const createJobScript = new LuaScript({
  keys: ['job', 'tenant_index', 'queued_index', 'pending_enqueue', 'outbox', 'events'],
  args: [
    'id',
    'tenant',
    'doc',
    'created',
    'deadline',
    'start_hook',
    'outbox_limit',
    'events_max_len',
  ],
  source: `
if redis.call('EXISTS', KEY.job) == 1 then return 0 end
if ARG.outbox_limit ~= '' and redis.call('XLEN', KEY.outbox) >= tonumber(ARG.outbox_limit) then return -1 end
redis.call('HSET', KEY.job, 'rev', 1, 'status', 'queued', 'tenant', ARG.tenant, 'doc', ARG.doc, 'created', ARG.created, 'deadline', ARG.deadline, 'start_hook', ARG.start_hook)
redis.call('ZADD', KEY.tenant_index, ARG.created, ARG.id)
redis.call('ZADD', KEY.queued_index, ARG.created, ARG.id)
redis.call('ZADD', KEY.pending_enqueue, ARG.created, ARG.id)
-- Event stream (job-stream.ts): it begins with the job's first status.
redis.call('XADD', KEY.events, 'MAXLEN', '~', ARG.events_max_len, '*', 'type', 'status', 'status', 'queued', 'at', ARG.created)
return 1
`,
});

/**
 * Compare-and-set write of a job record. Succeeds only if the stored revision is the one the
 * writer read, so a worker finishing a call and a client cancelling can never both win: the
 * loser re-reads and sees what happened. Moves the job between status indexes (`from_index`,
 * that of the status read with `expected_rev`, to `to_index`), and on a final record sets the
 * retention TTL (`ttl` ms, 0 = none) and schedules its index entries for removal at the same
 * time (`expiring_member` 'tenant|status|id' at `expires_at`, see sweepExpiredScript); publishes
 * the change; and when the change is one a webhook announces, adds the webhook event
 * (`outbox_event`, '' = none) to the outbox with the record as written (the job as the webhook
 * shows it), so no ended job can miss its event. All in one atomic step. The outbox is never
 * trimmed (see createJobScript for its bound); its entries are laid out as webhook-outbox.ts
 * (@switchyard/outbox) reads them. `started_at` is '' for none.
 * The job's event stream (`events`) gets a `status` entry (at `at`, ms) for a new status that
 * is not final, or `done` for a final one, and then the record's TTL.
 * Returns {1, rev} on success, {0, rev} on a revision conflict, {-1} if the job is gone.
 */
export const transitionJobScript = new LuaScript({
  keys: ['job', 'expiring', 'outbox', 'from_index', 'to_index', 'events'],
  args: [
    'expected_rev',
    'status',
    'doc',
    'ttl',
    'id',
    'created',
    'events_channel',
    'event',
    'started_at',
    'expires_at',
    'expiring_member',
    'outbox_event',
    'events_max_len',
    'at',
  ],
  source: `
local current = redis.call('HMGET', KEY.job, 'rev', 'status')
if not current[1] then return {-1} end
if current[1] ~= ARG.expected_rev then return {0, tonumber(current[1])} end
local rev = tonumber(current[1]) + 1
redis.call('HSET', KEY.job, 'rev', rev, 'status', ARG.status, 'doc', ARG.doc, 'started_at', ARG.started_at)
if current[2] ~= ARG.status then
  redis.call('ZREM', KEY.from_index, ARG.id)
  redis.call('ZADD', KEY.to_index, ARG.created, ARG.id)
end
local ttl = tonumber(ARG.ttl)
if ttl > 0 then
  redis.call('PEXPIRE', KEY.job, ttl)
  redis.call('ZADD', KEY.expiring, ARG.expires_at, ARG.expiring_member)
end
redis.call('PUBLISH', ARG.events_channel, ARG.event)
-- Event stream (job-stream.ts): a new status, or \`done\` when final (the API reads the job from
-- its record), and from then on it expires with the record.
if ttl > 0 then
  if current[2] ~= ARG.status then
    -- Listened to, but no call streamed (the listener came mid-call): the text as one delta.
    if redis.call('HGET', KEY.job, 'listened') == '1' and not redis.call('HGET', KEY.job, 'deltas') then
      local output = cjson.decode(ARG.doc).output
      if type(output) == 'table' and type(output.text) == 'string' and output.text ~= '' then
        redis.call('XADD', KEY.events, 'MAXLEN', '~', ARG.events_max_len, '*', 'type', 'delta', 'index', 0, 'text', output.text)
      end
    end
    redis.call('XADD', KEY.events, 'MAXLEN', '~', ARG.events_max_len, '*', 'type', 'done')
  end
  redis.call('PEXPIRE', KEY.events, ttl)
elseif current[2] ~= ARG.status then
  redis.call('XADD', KEY.events, 'MAXLEN', '~', ARG.events_max_len, '*', 'type', 'status', 'status', ARG.status, 'at', ARG.at)
end
if ARG.outbox_event ~= '' then
  redis.call('XADD', KEY.outbox, '*', 'event', ARG.outbox_event, 'doc', ARG.doc, 'status', ARG.status, 'rev', rev, 'started_at', ARG.started_at)
end
return {1, rev}
`,
});

/**
 * Removes the index entries of jobs whose records have expired: up to `batch` of them whose
 * time (`now`) has come. A job record expires by TTL; its entries in the tenant's sorted sets
 * would otherwise stay for ever (and Redis runs without eviction). The index keys are known
 * only from the members, so they are built here from `Keys.tenantJobsPrefix` the way
 * `Keys.tenantJobs` and `Keys.tenantJobsByStatus` build them. Returns how many.
 */
export const sweepExpiredScript = new LuaScript({
  keys: ['expiring'],
  args: ['now', 'batch', 'tenant_index_prefix'],
  source: `
local due = redis.call('ZRANGEBYSCORE', KEY.expiring, '-inf', ARG.now, 'LIMIT', 0, tonumber(ARG.batch))
for _, member in ipairs(due) do
  local tenant, status, id = string.match(member, '^(.*)|([^|]*)|([^|]*)$')
  redis.call('ZREM', ARG.tenant_index_prefix .. tenant, id)
  redis.call('ZREM', ARG.tenant_index_prefix .. tenant .. ':' .. status, id)
end
if #due > 0 then redis.call('ZREM', KEY.expiring, unpack(due)) end
return #due
`,
});

/**
 * A worker's first step with a job: read it and, if it is queued and its deadline has not
 * passed, mark it running, in one round trip and without rewriting the document. A worker holds
 * its queue item, so the job's enqueue is known to have happened: it leaves the pending-enqueue
 * set whatever the claim finds. The tenant is read from the record, so its status indexes are
 * built here from `Keys.tenantJobsPrefix` as `Keys.tenantJobsByStatus` builds them.
 * `start_event` is the `job.started` webhook event, written with the running record if the job
 * asked for it, and `running` enters the job's event stream (`events`).
 * Returns {doc, status, rev, started_at} as stored afterwards, or nil if the job is gone.
 */
export const claimRunScript = new LuaScript({
  keys: ['job', 'outbox', 'pending_enqueue', 'events'],
  args: ['now', 'tenant_index_prefix', 'id', 'events_channel', 'start_event', 'events_max_len'],
  source: `
redis.call('ZREM', KEY.pending_enqueue, ARG.id)
local f = redis.call('HMGET', KEY.job, 'doc', 'status', 'rev', 'started_at', 'deadline', 'tenant', 'created', 'start_hook')
if not f[1] then return nil end
local deadline = tonumber(f[5])
if f[2] ~= 'queued' or (deadline and tonumber(ARG.now) >= deadline) then
  return {f[1], f[2], f[3], f[4] or ''}
end
local rev = tonumber(f[3]) + 1
local index = ARG.tenant_index_prefix .. f[6] .. ':'
redis.call('HSET', KEY.job, 'status', 'running', 'rev', rev, 'started_at', ARG.now)
redis.call('ZREM', index .. 'queued', ARG.id)
redis.call('ZADD', index .. 'running', f[7], ARG.id)
redis.call('PUBLISH', ARG.events_channel, '{"type":"status","status":"running","rev":' .. rev .. '}')
-- Event stream (job-stream.ts): it runs.
redis.call('XADD', KEY.events, 'MAXLEN', '~', ARG.events_max_len, '*', 'type', 'status', 'status', 'running', 'at', ARG.now)
if f[8] == '1' then
  redis.call('XADD', KEY.outbox, '*', 'event', ARG.start_event, 'doc', f[1], 'status', 'running', 'rev', rev, 'started_at', ARG.now)
end
return {f[1], 'running', tostring(rev), ARG.now}
`,
});

/**
 * Notes the provider call a worker is about to make on the job's hash (field `call`), only if
 * the job still exists: a note must never recreate an expired record as a hash without a TTL.
 * Returns 0 if the job is gone, 1 if written, 2 if written and someone listens to the job's
 * events (field `listened`, see markListenedScript): the call then streams.
 */
export const noteCallScript = new LuaScript({
  keys: ['job'],
  args: ['note'],
  source: `
if redis.call('EXISTS', KEY.job) == 0 then return 0 end
redis.call('HSET', KEY.job, 'call', ARG.note)
-- Event stream (job-stream.ts): whether this call's text is streamed to a listener.
if redis.call('HGET', KEY.job, 'listened') == '1' then return 2 end
return 1
`,
});

/**
 * Marks a job as listened to (field `listened`) when a client opens its event stream, only if
 * the job exists (never recreating an expired record). Workers read the mark with their next
 * call note (noteCallScript): no extra round trip per job, and calls stream only when someone
 * listens. Returns 1 if marked.
 */
export const markListenedScript = new LuaScript({
  keys: ['job'],
  args: [],
  source: `
if redis.call('EXISTS', KEY.job) == 0 then return 0 end
redis.call('HSET', KEY.job, 'listened', '1')
return 1
`,
});
