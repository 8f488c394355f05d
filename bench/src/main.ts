import { formatTable } from './figures';
import { killLiveProcesses } from './live-processes';
import { describeCommit, describeMachine, writeResults, type RunResults } from './results-file';
import { failCurrentScenario, Interrupted, runScenario, type ScenarioResult } from './runner';
import { SCENARIOS } from './scenarios';

/**
 * `npm run bench [-- scenario…]`: runs each scenario to its end, one after the other, printing
 * its figures as soon as it finishes; a failed scenario is reported (its error and the figures
 * it measured before it) and the run goes on. Writes bench/results/latest.json, and exits 1 if
 * any scenario failed (2 for an unknown scenario, 130/143 when interrupted).
 *
 * BENCH_FAIL=name[,name]: those scenarios get an unhandled rejection 3 s in, to show the run
 * survives one and stops what the scenario started.
 */
const names = process.argv.slice(2);
const chosen = names.length ? names : [...SCENARIOS.keys()];
const unknown = chosen.filter((name) => !SCENARIOS.has(name));
if (unknown.length) {
  console.error(
    `unknown scenario ${unknown.join(', ')}; choose from ${[...SCENARIOS.keys()].join(', ')}`,
  );
  process.exit(2);
}
const forcedFailures = new Set((process.env.BENCH_FAIL ?? '').split(',').filter(Boolean));

const strayErrors: string[] = [];
/** An error nobody handled belongs to the scenario that runs; between scenarios it is noted. */
const onUnhandled = (error: unknown): void => {
  const asError = error instanceof Error ? error : new Error(String(error));
  if (!failCurrentScenario(new Error(`unhandled: ${asError.message}`))) {
    strayErrors.push(asError.message);
    console.error('unhandled error outside any scenario:', asError);
  }
};
process.on('unhandledRejection', onUnhandled);
process.on('uncaughtException', onUnhandled);

let interruptedBy: NodeJS.Signals | undefined;
let firstSignalAt = 0;
/**
 * The first SIGINT/SIGTERM ends the running scenario (its scope stops what it started), skips
 * the rest and writes what was measured. A terminal's Ctrl-C reaches both npm and the bench, and
 * npm forwards its own copy: only a signal more than 2 s after the first skips the cleanup.
 */
const onSignal = (signal: NodeJS.Signals): void => {
  if (!interruptedBy) {
    interruptedBy = signal;
    firstSignalAt = Date.now();
    process.stderr.write(`\n${signal}: stopping the running scenario…\n`);
    failCurrentScenario(new Interrupted(`interrupted by ${signal}`));
  } else if (Date.now() - firstSignalAt > 2_000) {
    process.stderr.write(`${signal} again: killing what is left\n`);
    process.exit(130);
  }
};
process.on('SIGINT', onSignal);
process.on('SIGTERM', onSignal);
// Whatever way the process exits, no child of ours outlives it.
process.on('exit', () => {
  const killed = killLiveProcesses();
  if (killed.length) console.error(`killed leftover processes at exit: ${killed.join(' ')}`);
});

async function main(): Promise<number> {
  const date = new Date().toISOString();
  const machine = describeMachine();
  console.log(
    `Switchyard benchmarks — ${machine.cpus} × ${machine.cpuModel}, node ${machine.node}, ` +
      `load ${machine.loadAverageAtStart}, ${date}`,
  );
  const results: ScenarioResult[] = [];
  for (const name of chosen) {
    if (interruptedBy) break;
    process.stderr.write(`running ${name}…\n`);
    const result = await runScenario(
      SCENARIOS.get(name)!,
      forcedFailures.has(name) ? 3_000 : undefined,
    );
    results.push(result);
    const { error, status } = result;
    const failure = error === undefined ? undefined : { status, message: error };
    console.log(formatTable(`${name} (${result.seconds} s)`, result.figures, failure));
  }
  const run: RunResults = {
    date,
    command: ['npm run bench --', ...names].join(' '),
    machine,
    commit: describeCommit(),
    scenarios: results,
    strayErrors,
    notRun: chosen.slice(results.length),
  };
  console.log(`results written to ${writeResults(run)}`);
  const failed = results.filter((r) => r.status !== 'ok');
  for (const r of failed) console.log(`${r.name}: ${r.status}: ${r.error}`);
  if (interruptedBy) return interruptedBy === 'SIGINT' ? 130 : 143;
  return failed.length || strayErrors.length ? 1 : 0;
}

void main().then(
  (code) => process.exit(code),
  (error: unknown) => {
    console.error(error);
    process.exit(1);
  },
);
