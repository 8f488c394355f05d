import {
  type ApiProcess,
  attemptsOf,
  describeCounts,
  type FaultStack,
  finalCount,
  jobCounts,
  pollUntil,
  reportFigures,
  secondsSince,
  startFaultStack,
  submitMany,
  type Tenant,
  uniqueJob,
} from '../src';

const JOBS = 500;
/** Long enough that all 500 calls are still open when the worker dies (the reruns are quick). */
const CALL_MS = 60_000;

let stack: FaultStack;
let api: ApiProcess;
let tenant: Tenant;
beforeAll(async () => {
  stack = await startFaultStack({ simulator: { latency: { kind: 'fixed', ms: CALL_MS } } });
  api = await stack.startApi();
  tenant = await stack.tenant(api);
}, 60_000);
afterAll(() => stack.close(), 60_000);

test('SIGKILL a worker with 500 jobs in flight: every job ends, duplicate calls counted', async () => {
  const doomed = await stack.startWorker();
  const answers = await submitMany(api.url, tenant.apiKey, JOBS, (i) => uniqueJob('inflight', i));
  expect(answers.filter((a) => a.status === 202)).toHaveLength(JOBS);
  await pollUntil(
    'all 500 provider calls open',
    async () => (stack.simulator.stats().inFlight >= JOBS ? true : undefined),
    { timeoutMs: 60_000 },
  );
  // Every call open now dies with the worker: each must come back as a `lost` attempt.
  const inFlightAtKill = stack.simulator.stats().inFlight;
  await doomed.kill();
  const killedAt = performance.now();
  stack.simulator.configure({ latency: null });
  // The survivor finds the dead worker's items once their locks lapse (BullMQ's stalled check,
  // 30-75 s) and reruns them at once: the rerun takes over the lease its dead run left. The
  // deadline leaves room for a loaded machine.
  await stack.startWorker();
  const counts = await pollUntil(
    'every job in a final state',
    async () => {
      const counts = await jobCounts(stack.probe, stack.keys, tenant.id);
      return finalCount(counts) === JOBS ? counts : undefined;
    },
    { timeoutMs: 240_000, everyMs: 250 },
  );
  const recovered = secondsSince(killedAt);
  const calls = stack.simulator.calls();
  const duplicates = calls.length - new Set(calls.map((call) => call.requestHash)).size;
  const ids = answers.map((a) => a.id!);
  const lost = (await attemptsOf(stack.probe, stack.keys, ids)).map((attempts) =>
    attempts.filter((attempt) => attempt.outcome === 'lost'),
  );
  const lostAttempts = lost.flat();
  const jobsWithLost = lost.filter((attempts) => attempts.length > 0).length;
  const lostCost = lostAttempts.reduce((sum, a) => sum + (a.estimated_cost_usd ?? 0), 0);
  reportFigures(
    `worker SIGKILL: ${JOBS} jobs, ${finalCount(counts)} final (${describeCounts(counts)}), ` +
      `${duplicates} duplicate provider calls, recovered in ${recovered} s; ` +
      `${inFlightAtKill} calls in flight at the kill, ${lostAttempts.length} recorded as lost ` +
      `attempts on ${jobsWithLost} jobs (estimated $${lostCost.toFixed(6)} charged for them)`,
  );
  expect(counts.get('succeeded')).toBe(JOBS);
  // Each job was called at most twice: once by the dead worker, once by the survivor.
  expect(calls.length).toBeLessThanOrEqual(2 * JOBS);
  // Every call the dead worker lost is recorded, once, on its job.
  expect(lostAttempts).toHaveLength(inFlightAtKill);
  expect(jobsWithLost).toBe(inFlightAtKill);
}, 330_000);
