import { priceOf, type Settings } from '@switchyard/config';
import type { Logger } from '@switchyard/observability';
import type { ProviderPools } from '@switchyard/providers';
import type { JobRecord, JobStore, RunJobData } from '@switchyard/queue';
import type { SpendLedger, TenantStore } from '@switchyard/tenancy';
import { DelayedError, type Job } from 'bullmq';
import type { CallStep } from './call-step';
import { JobEndedError } from './job-ended-error';
import { jobLogger } from './job-log';
import type { LostCalls } from './lost-call';
import { decide, type RunAction, type RunPolicy } from './run-decision';
import { type RunEnd, RunExecutor } from './run-executor';
import type { RunMetrics } from './run-metrics';

export { SHUTDOWN_REASON } from './interrupted-call';

export interface JobRunnerDeps {
  settings: Settings;
  store: JobStore;
  /** Tenant lookups for budgets; a short-lived cache is fine (see TenantCache). */
  tenants: Pick<TenantStore, 'get'>;
  spend: SpendLedger;
  pools: ProviderPools;
  /** Tries the current model of a job's chain (cache, circuit, limits, key, SDK). */
  calls: CallStep;
  /** Counts the call a worker that died was making (see lost-call.ts). */
  lostCalls: Pick<LostCalls, 'recover'>;
  logger: Logger;
  /** What it counts (labels bounded by the config). */
  count: RunMetrics;
}

/**
 * Runs one activation of a lane job: tries the job's model chain until a call answers, the
 * policy gives up, or the job is cancelled. Each step is the same three moves: try the hop
 * (CallStep), decide from the record and the outcome (`decide`, pure), apply the decision
 * (RunExecutor). Retries wait in BullMQ's delayed set (not in this process), so a crash loses
 * nothing and a long Retry-After holds no slot.
 */
export class JobRunner {
  constructor(private readonly deps: JobRunnerDeps) {}

  async run(job: Job<RunJobData>, token: string | undefined, signal: AbortSignal): Promise<void> {
    // One round trip: read the job and, unless it ended or its deadline passed, start it.
    const claimedAt = Date.now();
    let record = await this.deps.store.claimRun(job.data.jobId, claimedAt);
    if (!record) return;
    // Back after a stall (a worker died holding it): count the call it may have been making.
    if (job.stalledCounter > 0) record = await this.deps.lostCalls.recover(record);
    // Started by this claim (not a retry or a limiter wait coming back): its wait in the queue.
    if (record.started_at === claimedAt) this.deps.count.started(record, claimedAt);
    const policy = await this.policyFor(record);
    const executor = new RunExecutor(this.deps, jobLogger(this.deps.logger, record));
    let action: RunAction = decide(record, { kind: 'ready' }, policy);
    for (;;) {
      if (action.do === 'call') {
        const outcome = await this.deps.calls.call(record, action.hop, signal);
        action = decide(record, { kind: 'tried', hop: action.hop, outcome }, policy);
        continue;
      }
      const step = await executor.apply(record, action);
      if ('end' in step) return endRun(step.end, job, token);
      record = step.next;
      action = decide(record, { kind: 'ready' }, policy);
    }
  }

  /**
   * The tenant's part of the decisions: its budget is read before the job's first call only,
   * and whether it has one only when a model of the chain has no price.
   */
  private async policyFor(record: JobRecord): Promise<RunPolicy> {
    const { settings, pools, tenants, spend } = this.deps;
    const firstCall = record.attempts.length === 0 && record.hop_calls === 0;
    const unpriced = record.chain.some((entry) => !priceOf(settings, entry));
    const tenant = firstCall || unpriced ? await tenants.get(record.tenant_id) : undefined;
    return {
      settings,
      providers: pools,
      mayCallUnpriced: (tenant?.limits.monthly_budget_usd ?? null) === null,
      overBudget: tenant && firstCall ? await spend.overBudget(tenant, new Date()) : undefined,
    };
  }
}

/** A run's end in BullMQ's protocol, the one place it is spoken. */
async function endRun(end: RunEnd, job: Job<RunJobData>, token: string | undefined) {
  switch (end.kind) {
    case 'done':
      return;
    case 'delayed':
      await job.moveToDelayed(end.at, token);
      throw new DelayedError();
    case 'failed':
      // BullMQ marks the item failed without retrying, visible in Bull Board.
      throw new JobEndedError(end.error, end.statusCode);
  }
}
