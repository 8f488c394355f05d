import type { Redis } from 'ioredis';
import type { LimitGroup } from './limit-rules';
import { ACQUIRE, HOLD, REDATE, SETTLE } from './limiter-scripts';

export interface SharedLimiterOptions {
  /**
   * How long an in-flight lease lasts if its call never settles (a crashed worker); make it
   * longer than the per-attempt timeout. @defaultValue 120_000
   */
  leaseMs?: number;
  /**
   * Slack added to every window, in ms: calls are dated when their request leaves this process,
   * but the provider counts them when they arrive, a little later and not always by the same
   * amount. Without slack two calls sent exactly one window apart could arrive inside one
   * window. 10 ms was too little on a loaded machine: a stalled event loop at the provider's end
   * dated one call 10+ ms late and its successor, sent one window later, was refused (a CI run).
   * 25 ms costs 2.5 % of a one-second window and nothing that counts on a one-minute one.
   * @defaultValue 25
   */
  marginMs?: number;
}

export type Admission =
  { admitted: true; group: LimitGroup; admittedAt: number } | { admitted: false; waitMs: number };

/**
 * Provider rate limits shared by every worker process: one atomic script per admission, so N
 * processes together never exceed a limit, and calls are counted when they start.
 */
export class SharedLimiter {
  private readonly leaseMs: number;
  private readonly marginMs: number;

  constructor(
    private readonly redis: Redis,
    options: SharedLimiterOptions = {},
  ) {
    this.leaseMs = options.leaseMs ?? 120_000;
    this.marginMs = options.marginMs ?? 25;
  }

  /**
   * Admits a call of about `tokens` tokens on the first group with room (callers rotate the
   * order to spread load across keys), or says how long until one may have room. `lagMs` dates
   * the call later in the request logs: a process's first call (new connection, code not yet
   * warm) reaches the provider tens of milliseconds after its admission, more than the margin
   * covers, so it is counted as starting that much later.
   */
  async acquire(
    groups: LimitGroup[],
    tokens: number,
    member: string,
    now = Date.now(),
    lagMs = 0,
  ): Promise<Admission> {
    const keys: string[] = [];
    const rules: Array<string | number> = [];
    for (const group of groups) {
      rules.push(group.rules.length);
      for (const rule of group.rules) {
        keys.push(rule.key);
        const windowMs = rule.windowMs ? rule.windowMs + this.marginMs : 0;
        rules.push(rule.kind, windowMs, rule.limit);
      }
    }
    const [index, waitMs] = (await ACQUIRE.run(
      this.redis,
      { rules: keys },
      {
        now,
        member,
        tokens: Math.max(0, Math.ceil(tokens)),
        lease_ms: this.leaseMs,
        group_count: groups.length,
        lag_ms: lagMs,
        rules,
      },
    )) as [number, number];
    if (index > 0) return { admitted: true, group: groups[index - 1]!, admittedAt: now };
    return { admitted: false, waitMs: Math.max(1, waitMs) };
  }

  /** After the call: real tokens replace the estimate, the in-flight lease is returned. */
  async settle(
    group: LimitGroup,
    admittedAt: number,
    member: string,
    tokenDelta: number,
  ): Promise<void> {
    const rules = group.rules.filter((rule) => rule.kind === 'tok' || rule.kind === 'conc');
    if (!rules.length) return;
    await SETTLE.run(
      this.redis,
      { rules: rules.map((rule) => rule.key) },
      {
        admitted_at: admittedAt,
        member,
        token_delta: Math.round(tokenDelta),
        rules: rules.flatMap((rule) => [
          rule.kind,
          rule.windowMs ? rule.windowMs + this.marginMs : 0,
        ]),
      },
    );
  }

  /** The call's request left at `sentAt`: its window starts then, not at its admission. */
  async sent(group: LimitGroup, member: string, sentAt: number): Promise<void> {
    const keys = group.rules.filter((rule) => rule.kind === 'req').map((rule) => rule.key);
    if (keys.length) {
      await REDATE.run(this.redis, { request_logs: keys }, { sent_at: sentAt, member });
    }
  }

  /**
   * Nothing goes on this group before `untilMs`. `reason`: the provider refused a call (429: held
   * whatever our logs say), or its headers say a budget is spent, which holds only if our own
   * request logs do not already count it (none is full): those headers give the time until the
   * window is back to full, and holding that long served a limited key at 0.57 of its limit.
   * Returns whether the hold was set.
   */
  async hold(
    group: LimitGroup,
    untilMs: number,
    now = Date.now(),
    reason: 'refused' | 'spent' = 'refused',
  ): Promise<boolean> {
    const block = group.rules.find((rule) => rule.kind === 'block');
    if (!block || untilMs <= now) return false;
    const logs = reason === 'spent' ? group.rules.filter((rule) => rule.kind === 'req') : [];
    const held = await HOLD.run(
      this.redis,
      { block: block.key, request_logs: logs.map((rule) => rule.key) },
      {
        until_ms: Math.ceil(untilMs),
        now,
        windows: logs.flatMap((rule) => [rule.windowMs + this.marginMs, rule.limit]),
      },
    );
    return held === 1;
  }
}
