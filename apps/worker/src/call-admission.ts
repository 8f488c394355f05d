import type { Settings } from '@switchyard/config';
import {
  estimateTokens,
  type LimitGroup,
  limitRules,
  type PooledKey,
  type ProviderPools,
  type ProviderRequest,
  type SharedLimiter,
} from '@switchyard/providers';
import type { Keys } from '@switchyard/redis-kit';
import { pause, WaitingLines } from './waiting-line';

/** What an admitted call carries to its end, to settle its limits. */
export interface Ticket {
  group: LimitGroup;
  admittedAt: number;
  member: string;
  estimate: number;
  /** The process's first call on this line (see settle). */
  cold: boolean;
}

export type AdmissionResult =
  | { admitted: true; key: PooledKey; ticket: Ticket | undefined }
  | { admitted: false; waitMs: number };

/**
 * Longest a job waits for a slot inside this process. Longer waits go back to BullMQ's delayed
 * set, so a long queue for one model never holds the concurrency other models need.
 */
const MAX_HOLD_MS = 2_000;
/**
 * How much later than its admission a process's first call on a line may reach the provider
 * (new connection, cold code); see also settle().
 */
const COLD_START_LAG_MS = 100;

/** What a provider said about leaving a key and model alone, and why. */
export interface ProviderPause {
  ms: number;
  /** `refused`: a 429 with Retry-After. `spent`: an answer whose headers say a budget is spent. */
  reason: 'refused' | 'spent';
}

/**
 * Chooses the API key for a call and, when the provider or model has limits, waits for a slot
 * in the shared limiter. Without limits it costs nothing: keys take turns locally.
 */
export class CallAdmission {
  private readonly lines = new WaitingLines();
  private readonly turns = new Map<string, number>();
  /** Lines this process has made a call on: their connections and code paths are warm. */
  private readonly warm = new Set<string>();

  constructor(
    private readonly limiter: SharedLimiter,
    private readonly keys: Keys,
    private readonly settings: Settings,
    private readonly pools: ProviderPools,
  ) {}

  async admit(
    target: { provider: string; model: string },
    request: ProviderRequest,
    member: string,
    signal: AbortSignal,
  ): Promise<AdmissionResult> {
    const pool = this.rotated(target.provider);
    const groups = this.groupsFor(target, pool);
    if (!groups) return { admitted: true, key: pool[0]!, ticket: undefined };
    const estimate = estimateTokens(request);
    const line = `${target.provider}/${target.model}`;
    return this.lines.inTurn(
      line,
      async () => {
        for (;;) {
          const now = Date.now();
          const cold = !this.warm.has(line);
          const lag = cold ? COLD_START_LAG_MS : 0;
          const result = await this.limiter.acquire(groups, estimate, member, now, lag);
          if (result.admitted) {
            this.warm.add(line);
            const key = pool.find((candidate) => candidate.keyIndex === result.group.keyIndex)!;
            const ticket = { group: result.group, admittedAt: now, member, estimate, cold };
            return { admitted: true, key, ticket };
          }
          if (result.waitMs > MAX_HOLD_MS) return result;
          await pause(result.waitMs, signal);
        }
      },
      signal,
    );
  }

  /**
   * After the call: real usage replaces the estimate and the in-flight slot is returned. A cold
   * call is dated again from its answer, the one time its arrival is known to be past: on a
   * loaded machine a new process's first request reached the provider more than the cold-start
   * lag after its admission, and the call a window later was refused. Later than the truth only
   * wastes part of one slot, once per process and line.
   */
  async settle(ticket: Ticket | undefined, tokensUsed: number | undefined): Promise<void> {
    if (!ticket) return;
    const delta = tokensUsed === undefined ? 0 : tokensUsed - ticket.estimate;
    await Promise.all([
      this.limiter.settle(ticket.group, ticket.admittedAt, ticket.member, delta),
      ticket.cold && this.limiter.sent(ticket.group, ticket.member, Date.now()),
    ]);
  }

  /** The request left now: the limiter dates the call from here (see SharedLimiter.sent). */
  sent(ticket: Ticket | undefined): void {
    if (!ticket) return;
    this.limiter.sent(ticket.group, ticket.member, Date.now()).catch(() => undefined);
  }

  /** The provider said "not before": every process holds off that key and model. */
  async hold(ticket: Ticket | undefined, pause: ProviderPause): Promise<void> {
    const now = Date.now();
    if (ticket) await this.limiter.hold(ticket.group, now + pause.ms, now, pause.reason);
  }

  /** The provider's keys, starting one further each call so load spreads across them. */
  private rotated(provider: string): PooledKey[] {
    const pool = this.pools.get(provider)!;
    const turn = this.turns.get(provider) ?? 0;
    this.turns.set(provider, (turn + 1) % pool.length);
    return [...pool.slice(turn), ...pool.slice(0, turn)];
  }

  private groupsFor(
    target: { provider: string; model: string },
    pool: PooledKey[],
  ): LimitGroup[] | undefined {
    const providerLimits = this.settings.providers[target.provider]!.limits;
    const modelLimits = this.settings.models[`${target.provider}/${target.model}`]?.limits ?? {
      windows: [],
      maxInFlight: undefined,
    };
    const groups = pool.map((key) => ({
      keyIndex: key.keyIndex,
      rules: limitRules(this.keys, { ...target, keyId: key.keyId }, providerLimits, modelLimits),
    }));
    return groups[0]!.rules.length ? groups : undefined;
  }
}
