import { drainScenario } from './scenarios/drain';
import { inflightScenario } from './scenarios/inflight';
import { limitsScenario } from './scenarios/limits';
import { memoryScenario } from './scenarios/memory';
import { submitScenario } from './scenarios/submit';
import { webhooksScenario } from './scenarios/webhooks';
import { printTable, type Row } from './stats';

/**
 * `npm run bench [-- scenario…]`: each scenario measures Switchyard and its baselines in the
 * same run (this machine is shared and noisy, so only ratios travel between runs).
 */
const SCENARIOS: Record<string, () => Promise<Row[]>> = {
  inflight: () => inflightScenario({ rate: 1_000, seconds: 8, warmupSeconds: 3, latencyMs: 1_000 }),
  drain: () => drainScenario({ jobs: 10_000, concurrency: 200 }),
  submit: () =>
    submitScenario({ concurrency: 32, seconds: Number(process.env.BENCH_SUBMIT_SECONDS ?? 5) }),
  memory: () => memoryScenario({ jobs: 2_000 }),
  webhooks: () =>
    webhooksScenario({ events: 20_000, rounds: 3, rate: 500, seconds: 10, warmupSeconds: 2 }),
  // The goal is 5 minutes (BENCH_LIMITS_SECONDS=300); one minute by default.
  limits: () =>
    limitsScenario({
      workers: 4,
      rpm: 600,
      perSecond: 10,
      seconds: Number(process.env.BENCH_LIMITS_SECONDS ?? 60),
      latencyMs: 200,
    }),
};

async function main(names: string[]): Promise<void> {
  const chosen = names.length ? names : Object.keys(SCENARIOS);
  const unknown = chosen.filter((name) => !SCENARIOS[name]);
  if (unknown.length) {
    console.error(
      `unknown scenario ${unknown.join(', ')}; choose from ${Object.keys(SCENARIOS).join(', ')}`,
    );
    process.exit(2);
  }
  const rows: Row[] = [];
  for (const name of chosen) {
    process.stderr.write(`running ${name}…\n`);
    rows.push(...(await SCENARIOS[name]!()));
  }
  console.log(`\nSwitchyard benchmarks — node ${process.version}, ${new Date().toISOString()}\n`);
  printTable(rows);
}

main(process.argv.slice(2)).then(
  () => process.exit(0),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
