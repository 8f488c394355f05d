import type { Scenario } from '../runner';
import { drainScenario } from './drain';
import { eventsScenario } from './events';
import { inflightScenario } from './inflight';
import { latencyScenario } from './latency';
import { limitsScenario } from './limits';
import { memoryScenario } from './memory';
import { submitScenario } from './submit';
import { webhooksScenario } from './webhooks';

/** A number from the environment (BENCH_…), or `otherwise`. */
const fromEnv = (name: string, otherwise: number): number => Number(process.env[name] ?? otherwise);

const limitsSeconds = fromEnv('BENCH_LIMITS_SECONDS', 30);
const submitSeconds = fromEnv('BENCH_SUBMIT_SECONDS', 5);
// Sizes that keep the whole run near 5 minutes on a busy 2-core machine; the figures in the
// docs from before issue 9 used 10,000 drained jobs and 20,000 webhook events per round.
const drainJobs = fromEnv('BENCH_DRAIN_JOBS', 5_000);
const webhookEvents = fromEnv('BENCH_WEBHOOK_EVENTS', 10_000);
const eventsJobs = fromEnv('BENCH_EVENTS_JOBS', 30);

/** Every scenario, in the order `npm run bench` runs them; each with room for a slow machine. */
export const SCENARIOS = new Map<string, Scenario>(
  (
    [
      {
        name: 'submit',
        timeoutMs: (120 + 2 * submitSeconds) * 1_000,
        run: (context) => submitScenario(context, { concurrency: 32, seconds: submitSeconds }),
      },
      {
        name: 'drain',
        timeoutMs: 240_000,
        run: (context) => drainScenario(context, { jobs: drainJobs, concurrency: 200 }),
      },
      {
        name: 'latency',
        timeoutMs: 240_000,
        run: (context) =>
          latencyScenario(context, {
            rates: [200, 500],
            seconds: 6,
            warmupSeconds: 2,
            latencyMs: 1_000,
            concurrency: 1_000,
          }),
      },
      {
        name: 'inflight',
        timeoutMs: 180_000,
        run: (context) =>
          inflightScenario(context, { concurrency: 500, latencyMs: 1_000, backlog: 5 }),
      },
      {
        // The issue-3 goal is 5 minutes (BENCH_LIMITS_SECONDS=300).
        name: 'limits',
        timeoutMs: (120 + limitsSeconds) * 1_000,
        run: (context) =>
          limitsScenario(context, {
            workers: 4,
            rpm: 600,
            perSecond: 10,
            seconds: limitsSeconds,
            warmupSeconds: 10,
            latencyMs: 200,
          }),
      },
      {
        name: 'webhooks',
        timeoutMs: 240_000,
        run: (context) =>
          webhooksScenario(context, {
            events: webhookEvents,
            rounds: 3,
            rate: 500,
            seconds: 10,
            warmupSeconds: 2,
          }),
      },
      {
        name: 'events',
        timeoutMs: 180_000,
        run: (context) =>
          eventsScenario(context, {
            jobs: eventsJobs,
            latencyMs: 200,
            tokenLatencyMs: 20,
            maxTokens: 48,
          }),
      },
      {
        name: 'memory',
        timeoutMs: 180_000,
        run: (context) => memoryScenario(context, { jobs: 2_000 }),
      },
    ] satisfies Scenario[]
  ).map((scenario) => [scenario.name, scenario]),
);
