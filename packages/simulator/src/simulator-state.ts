import { randomInt } from 'node:crypto';
import { CallLog, type CallRecord } from './call-log';
import { TimesCounter } from './fault-choice';
import {
  applyPatch,
  DEFAULT_OPTIONS,
  type ResolvedOptions,
  type SimulatorOptionsPatch,
} from './options';
import { Prng } from './prng';
import { RateLimiter, windowsFromLimits } from './rate-limiter';
import { StatsCounter } from './stats';
import { validateOptionsPatch } from './validate-options';

/** All mutable simulator state, shared by the HTTP handlers and the programmatic API. */
export class SimulatorState {
  options: ResolvedOptions;
  prng: Prng;
  limiter: RateLimiter;
  readonly log: CallLog;
  readonly stats = new StatsCounter();
  readonly times = new TimesCounter();
  private seq = 0;
  private lastNow = 0;
  /** Open completion requests, whatever reset() did to the counters; close() waits for 0. */
  private open = 0;
  private idleWaiters: Array<() => void> = [];
  private callWaiters: Array<(call: CallRecord) => void> = [];
  // Without a configured seed runs differ per process, but reset() still replays this one.
  private readonly fallbackSeed = randomInt(0, 2 ** 47);

  constructor(options: unknown) {
    this.options = applyPatch({ ...DEFAULT_OPTIONS }, clone(validateOptionsPatch(options)));
    this.prng = Prng.fromSeed(this.options.seed ?? this.fallbackSeed);
    this.limiter = new RateLimiter(windowsFromLimits(this.options.limits));
    this.log = new CallLog(this.options.callLogSize);
  }

  /** Validates and merges; throws a one-line Error (and changes nothing) if the patch is bad. */
  configure(patch: unknown): ResolvedOptions {
    const valid = clone(validateOptionsPatch(patch));
    const next = applyPatch(this.options, valid);
    if (valid.seed !== undefined) this.prng = Prng.fromSeed(next.seed ?? this.fallbackSeed);
    // Old timestamps were counted against other windows; starting clean is the only honest choice.
    if (valid.limits !== undefined) this.limiter = new RateLimiter(windowsFromLimits(next.limits));
    this.log.resize(next.callLogSize);
    this.options = next;
    return next;
  }

  reset(): void {
    this.log.clear();
    this.stats.reset();
    this.limiter.clear();
    this.times.clear();
    this.seq = 0;
    this.prng = Prng.fromSeed(this.options.seed ?? this.fallbackSeed);
  }

  /** Logs and counts a decided call, and hands it to whoever awaits nextCall(). */
  record(call: CallRecord, token: number): void {
    this.log.push(call);
    this.stats.record(token, call.status, call.fault);
    if (this.callWaiters.length === 0) return;
    const waiters = this.callWaiters;
    this.callWaiters = [];
    for (const wake of waiters) wake(call);
  }

  nextCall(): Promise<CallRecord> {
    return new Promise((resolve) => this.callWaiters.push(resolve));
  }

  /** Returns the token to hand back to requestEnded() and record(). */
  requestStarted(): number {
    this.open++;
    return this.stats.begin();
  }

  requestEnded(token: number): void {
    this.stats.end(token);
    this.open--;
    if (this.open === 0 && this.idleWaiters.length > 0) {
      const waiters = this.idleWaiters;
      this.idleWaiters = [];
      for (const wake of waiters) wake();
    }
  }

  /** Resolves once no completion request is open, from before a reset or not. */
  whenIdle(): Promise<void> {
    if (this.open === 0) return Promise.resolve();
    return new Promise((resolve) => this.idleWaiters.push(resolve));
  }

  nextSeq(): number {
    return ++this.seq;
  }

  /** Epoch ms that never goes backwards, so sliding-window logs stay sorted. */
  now(): number {
    const now = Date.now();
    if (now > this.lastNow) this.lastNow = now;
    return this.lastNow;
  }
}

// Callers may keep mutating the objects they passed in; the simulator must not see that.
function clone(patch: SimulatorOptionsPatch): SimulatorOptionsPatch {
  return structuredClone(patch);
}
