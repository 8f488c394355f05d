import { isFinalStatus } from '@switchyard/core';
// The API gives up on a Redis command after COMMAND_TIMEOUT_MS: a refusal may take that long.
import { COMMAND_TIMEOUT_MS } from '@switchyard/redis-kit';
import {
  type ApiProcess,
  type FaultStack,
  pollUntil,
  reportFigures,
  secondsSince,
  startFaultStack,
  startSubmitLoop,
  statusesOf,
  tally,
  type Tenant,
  uniqueJob,
} from '../src';

let stack: FaultStack;
let api: ApiProcess;
let tenant: Tenant;
beforeAll(async () => {
  stack = await startFaultStack({ simulator: { latency: { kind: 'fixed', ms: 200 } } });
  api = await stack.startApi();
  await stack.startWorker();
  tenant = await stack.tenant(api);
}, 60_000);
afterAll(async () => {
  process.kill(stack.redis.pid, 'SIGCONT'); // a failed test must not leave Redis stopped
  await stack.close();
}, 60_000);

const STOPPED_MS = 30_000;

test('SIGSTOP redis-server for 30 s under submit load: 503s, nothing hangs, every 202 completes', async () => {
  const load = startSubmitLoop(api.url, tenant.apiKey, 8, (i) => uniqueJob('frozen', i));
  await pollUntil(
    'some submits accepted',
    async () => (load.answers.length > 50 ? true : undefined),
    {
      timeoutMs: 30_000,
    },
  );
  process.kill(stack.redis.pid, 'SIGSTOP');
  const stoppedAt = performance.now();
  // The freeze itself is the fault: this wait is its length, not a wait for an event.
  await new Promise((resolve) => setTimeout(resolve, STOPPED_MS));
  process.kill(stack.redis.pid, 'SIGCONT');
  const continuedAt = performance.now();
  const answers = await load.stop();

  // Sent while Redis was frozen: a 503 each, once the API's command timeout has passed.
  const during = answers.filter(
    (a) => a.sentAt >= stoppedAt + 100 && a.sentAt + a.ms < continuedAt,
  );
  const slowest = Math.max(...during.map((a) => a.ms));
  expect(tally(during.map((a) => `${a.status} ${a.errorType}`))).toEqual({
    '503 service_unavailable': during.length,
  });
  expect(slowest).toBeLessThan(COMMAND_TIMEOUT_MS + 1_000);

  const accepted = answers.flatMap((a) => (a.status === 202 ? [a.id!] : []));
  const ended = await pollUntil(
    'every accepted job final',
    async () => {
      const statuses = await statusesOf(stack.probe, stack.keys, accepted);
      return statuses.every((s) => s !== 'missing' && isFinalStatus(s)) ? statuses : undefined;
    },
    { timeoutMs: 120_000, everyMs: 250 },
  );
  const drained = secondsSince(continuedAt);
  const calls = stack.simulator.calls();
  const duplicates = calls.length - new Set(calls.map((call) => call.requestHash)).size;
  reportFigures(
    `redis SIGSTOP 30 s: ${answers.length} submits, ${accepted.length} got 202 ` +
      `(${JSON.stringify(tally(ended))}), ${during.length} sent during the freeze: ` +
      `${JSON.stringify(tally(during.map((a) => `${a.status} ${a.errorType}`)))} (slowest ` +
      `${slowest.toFixed(0)} ms), every accepted job final ${drained} s after SIGCONT, ` +
      `${duplicates} duplicate provider calls`,
  );
  expect(tally(ended)).toEqual({ succeeded: accepted.length });
}, 240_000);
