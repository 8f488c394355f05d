import type { Queue } from 'bullmq';
import type { Redis } from 'ioredis';
import { LuaScript } from '@switchyard/redis-kit';

/**
 * How long the longest-waiting startable item of a BullMQ queue has been startable, in ms, in
 * one round trip. Only the head of each line is read, so the cost does not grow with the queue:
 * - wait list: its tail, the next item a worker takes (FIFO: the one there longest);
 * - prioritized set: its lowest score, the next item a worker takes from it;
 * - delayed set: its lowest score. A delayed score is `due ms * 0x1000 + counter`
 *   (BullMQ's getDelayedScore), so the earliest due time comes without reading the item.
 *
 * A waiting or prioritized item has been startable since the latest of: its creation
 * (`timestamp`); its first due time, if it was added with a delay (`timestamp + opts.delay`:
 * a deadline, a webhook retry); and its last start (`processedOn`), since an item back from a
 * worker (a retry, a provider-limit wait, a stalled run) re-entered the line after it. The last
 * is a lower bound: the run and the re-delay that followed are not recorded, so such an item
 * reads older than it is until a worker takes it. An item promoted by hand before its due time
 * counts from that due time.
 *
 * 0 while the queue is paused (as its backlog is: more workers would start none of it).
 * `job_prefix` is BullMQ's key of the queue's items without the item ID.
 */
const oldestWaitScript = new LuaScript({
  keys: ['wait', 'prioritized', 'delayed', 'meta'],
  args: ['job_prefix', 'now'],
  source: `
if redis.call('HEXISTS', KEY.meta, 'paused') == 1 then return 0 end
local now = tonumber(ARG.now)
local since = now
local function startable(id)
  if not id then return end
  local job = redis.call('HMGET', ARG.job_prefix .. id, 'timestamp', 'opts', 'processedOn')
  -- No hash: a marker BullMQ 5 left in the wait list, not an item.
  if not job[1] then return end
  local at = tonumber(job[1])
  local ok, opts = pcall(cjson.decode, job[2] or '{}')
  if ok and type(opts) == 'table' and tonumber(opts.delay) then at = at + tonumber(opts.delay) end
  if job[3] then at = math.max(at, tonumber(job[3])) end
  if at < since then since = at end
end
startable(redis.call('LINDEX', KEY.wait, -1))
startable(redis.call('ZRANGE', KEY.prioritized, 0, 0)[1])
local delayed = redis.call('ZRANGE', KEY.delayed, 0, 0, 'WITHSCORES')
if delayed[2] then
  local due = math.floor(tonumber(delayed[2]) / 0x1000)
  if due < since then since = due end
end
return now - since
`,
});

/** See {@link oldestWaitScript}. `redis` is a connection to the queue's Redis. */
export async function readOldestWaitMs(redis: Redis, queue: Queue, now: number): Promise<number> {
  const { wait, prioritized, delayed, meta } = queue.keys;
  const keys = { wait: wait!, prioritized: prioritized!, delayed: delayed!, meta: meta! };
  return Number(await oldestWaitScript.run(redis, keys, { job_prefix: queue.toKey(''), now }));
}
