import { randomUUID } from 'node:crypto';
import { ChannelListeners, type Keys, LuaScript } from '@switchyard/redis-kit';
import type { Redis } from 'ioredis';
import type { ProviderResponse } from '../types';
import {
  DEDUP_LEASE_MS,
  DEDUP_MAX_WAITS,
  type DedupResult,
  type RequestDedupOptions,
} from './request-dedup-options';
import { decodeResponse, encodeResponse, type ResponseCache } from './response-cache';

/**
 * One round trip before a call: the cached answer if there is one, else the lease if it is free
 * or already this owner's ("lead"), else "follow". An owner is a job: a lease held under the
 * job's own name can only be left by an earlier run of that job (a worker that died mid-call),
 * and waiting on it would wait out the whole lease for an answer that never comes.
 */
const CLAIM = new LuaScript({
  keys: ['cache', 'lease'],
  args: ['owner', 'lease_ms'],
  source: `
local cached = redis.call('GET', KEY.cache)
if cached then return { 'hit', cached } end
local holder = redis.call('GET', KEY.lease)
if holder and holder ~= ARG.owner then return { 'follow' } end
redis.call('SET', KEY.lease, ARG.owner, 'PX', ARG.lease_ms)
return { 'lead' }
`,
});
/**
 * One round trip after a call: cache a success, free the lease if it is still ours (an expired
 * one may be another leader's), and announce the outcome (`message`: the response, or 'failed')
 * on `channel`, in that order, so a follower that finds the lease gone finds the answer.
 */
const FINISH = new LuaScript({
  keys: ['cache', 'lease'],
  args: ['owner', 'message', 'ttl_ms', 'channel'],
  source: `
if ARG.message ~= 'failed' then redis.call('SET', KEY.cache, ARG.message, 'PX', ARG.ttl_ms) end
if redis.call('GET', KEY.lease) == ARG.owner then redis.call('DEL', KEY.lease) end
redis.call('PUBLISH', ARG.channel, ARG.message)
return 1
`,
});
/** Published instead of a response when the leader's call failed: followers then try their own. */
const FAILED = 'failed';

/**
 * What the leader's own call came to: a response (cached and shared with the followers) or
 * anything else, handed back to the leader alone (`declined`: a failed call, or no call at all).
 */
export type LeaderOutcome<T> = { response: ProviderResponse } | { declined: T };

type Call<T> = () => Promise<LeaderOutcome<T>>;

/** What `run` resolves with: an answer, or what the leader declined with (never, if it cannot). */
export type DedupOutcome<T> = DedupResult | ([T] extends [never] ? never : { declined: T });

/**
 * In-flight dedup of identical provider calls across every worker process. The first caller
 * takes a lease (SET NX) and calls; the others subscribe to the key's done channel and get the
 * leader's response. A leader's failure is never shared: followers then try to lead in turn.
 * `call` resolves with `{ response }` (cached and shared) or `{ declined }` (the leader's own
 * business: a failure, or a reason it made no call), and throws only when something broke. `run`
 * answers from the cache first, so a caller needs no cache lookup of its own.
 */
export class RequestDedup {
  private readonly channels: ChannelListeners;
  private readonly leaseMs: number;
  private readonly waitMs: number;
  private readonly maxWaits: number;

  constructor(
    private readonly redis: Redis,
    subscriber: Redis,
    private readonly keys: Keys,
    private readonly cache: ResponseCache,
    private readonly options: RequestDedupOptions = {},
  ) {
    this.channels = new ChannelListeners(subscriber);
    this.leaseMs = options.leaseMs ?? DEDUP_LEASE_MS;
    this.waitMs = options.waitMs ?? this.leaseMs;
    this.maxWaits = options.maxWaits ?? DEDUP_MAX_WAITS;
  }

  /**
   * Runs `call` once across all processes for `key` (a `cacheKey()` hash); concurrent callers get
   * its result. `signal` aborts a follower's wait (rejecting with its reason); a leader's own call
   * is stopped by `call` itself, and its failure sends the followers on rather than failing them.
   * `owner` names the caller's lease: a job passes its ID, so its run after a crash takes over the
   * lease its dead run left instead of following it.
   */
  async run<T = never>(
    key: string,
    call: Call<T>,
    signal?: AbortSignal,
    owner: string = randomUUID(),
  ): Promise<DedupOutcome<T>> {
    const keys = { cache: this.keys.responseCache(key), lease: this.keys.dedupLease(key) };
    for (let waits = 0; ; waits++) {
      signal?.throwIfAborted();
      const [verdict, stored] = (await CLAIM.run(this.redis, keys, {
        owner,
        lease_ms: this.leaseMs,
      })) as [string, string | undefined];
      const cached = stored === undefined ? undefined : decodeResponse(stored);
      if (cached) return { response: cached, source: 'cache' };
      if (verdict === 'lead') return this.lead(key, owner, call);
      if (waits === this.maxWaits) break;
      const response = await this.follow(key, signal);
      if (response) return { response, source: 'dedup' };
    }
    // Still no result after every wait: call without coordination rather than keep the job waiting.
    const outcome = await call();
    if (!('response' in outcome)) return outcome as DedupOutcome<T>;
    await this.cache.set(key, outcome.response).catch(() => undefined);
    return { response: outcome.response, source: 'call' };
  }

  private async lead<T>(key: string, owner: string, call: Call<T>): Promise<DedupOutcome<T>> {
    let outcome: LeaderOutcome<T>;
    try {
      outcome = await call();
    } catch (error) {
      await this.finish(key, owner, undefined);
      throw error;
    }
    if (!('response' in outcome)) {
      await this.finish(key, owner, undefined);
      return outcome as DedupOutcome<T>;
    }
    await this.finish(key, owner, outcome.response);
    return { response: outcome.response, source: 'call' };
  }

  /** Errors are ignored: the outcome stands, and followers fall back to their timeout. */
  private async finish(key: string, owner: string, response: ProviderResponse | undefined) {
    const message = response ? encodeResponse(response) : FAILED;
    await FINISH.run(
      this.redis,
      { cache: this.keys.responseCache(key), lease: this.keys.dedupLease(key) },
      { owner, message, ttl_ms: this.cache.ttlMs, channel: this.keys.dedupDone(key) },
    ).catch(() => undefined);
  }

  /** Waits for the current leader: its response, or undefined when the caller should try to lead. */
  private async follow(key: string, signal?: AbortSignal): Promise<ProviderResponse | undefined> {
    let settle!: (response: ProviderResponse | undefined) => void;
    const settled = new Promise<ProviderResponse | undefined>((resolve) => (settle = resolve));
    const stop = await this.channels.listen(this.keys.dedupDone(key), (message) =>
      settle(message === FAILED ? undefined : decodeResponse(message)),
    );
    const timer = setTimeout(() => settle(undefined), this.waitMs);
    const onAbort = () => settle(undefined);
    signal?.addEventListener('abort', onAbort);
    try {
      signal?.throwIfAborted();
      // Subscribed now, so no later outcome is missed; one that came before left its trace. The
      // lease is read first: gone means the leader has finished, and a success is cached by then.
      if (!(await this.redis.exists(this.keys.dedupLease(key)))) {
        return await this.cache.get(key);
      }
      this.options.onWait?.(key);
      const response = await settled;
      signal?.throwIfAborted();
      return response;
    } finally {
      clearTimeout(timer);
      signal?.removeEventListener('abort', onAbort);
      stop();
    }
  }
}
