import { isFinalStatus } from '@switchyard/core';
import {
  type ApiProcess,
  type FaultStack,
  pollUntil,
  reportFigures,
  secondsSince,
  startFaultStack,
  startSubmitLoop,
  statusesOf,
  submitOnce,
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
afterAll(() => stack.close(), 60_000);

// The outage itself is the fault: these waits are its length, not a wait for an event.
const outage = (ms: number) => new Promise((resolve) => setTimeout(resolve, ms));

test.each([10, 60])(
  'SIGKILL redis-server (AOF everysec) under submit load for %i s: 503s at once, every 202 completes, workers resume',
  async (seconds) => {
    const load = startSubmitLoop(api.url, tenant.apiKey, 8, (i) =>
      uniqueJob(`outage${seconds}`, i),
    );
    await pollUntil(
      'some submits accepted',
      async () => (load.answers.length > 50 ? true : undefined),
      {
        timeoutMs: 30_000,
      },
    );
    await stack.redis.kill();
    const killedAt = performance.now();
    await outage(seconds * 1_000);
    await stack.redis.restart();
    const restartedAt = performance.now();
    // A job submitted once the API answers again: the workers have resumed when it has run.
    const probe = await pollUntil(
      'the API accepting submits again',
      async () => {
        const answer = await submitOnce(api.url, tenant.apiKey, uniqueJob('probe', seconds));
        return answer.status === 202 ? answer.id : undefined;
      },
      { timeoutMs: 30_000, everyMs: 100 },
    );
    await pollUntil(
      'the workers running a job submitted after the outage',
      async () =>
        (await statusesOf(stack.probe, stack.keys, [probe!]))[0] === 'succeeded' ? true : undefined,
      { timeoutMs: 30_000 - (performance.now() - restartedAt), everyMs: 100 },
    );
    const resumed = secondsSince(restartedAt);
    const answers = await load.stop();

    // While Redis is down, every submit is refused with a 503, within 1 s.
    const during = answers.filter(
      (a) => a.sentAt >= killedAt + 100 && a.sentAt + a.ms < restartedAt,
    );
    const slowest = Math.max(...during.map((a) => a.ms));
    const slow = during.filter((a) => a.ms >= 1_000);
    const slowAt = slow.map((a) => `+${((a.sentAt - killedAt) / 1_000).toFixed(1)} s`).join(' ');
    // Every job that got a 202 exists and completes.
    const accepted = answers.flatMap((a) => (a.status === 202 ? [a.id!] : []));
    const ended = await pollUntil(
      'every accepted job final',
      async () => {
        const statuses = await statusesOf(stack.probe, stack.keys, accepted);
        return statuses.every((s) => s === 'missing' || isFinalStatus(s)) ? statuses : undefined;
      },
      { timeoutMs: 60_000, everyMs: 250 },
    );
    const outcome = tally(ended);
    reportFigures(
      `redis SIGKILL ${seconds} s: ${answers.length} submits, ${accepted.length} got 202 ` +
        `(${JSON.stringify(outcome)}), ${during.length} sent during the outage: ` +
        `${JSON.stringify(tally(during.map((a) => `${a.status} ${a.errorType}`)))} (slowest ` +
        `${slowest.toFixed(0)} ms; ${slow.length} over 1 s${slow.length ? `, sent ${slowAt} after the kill` : ''}), workers resumed ${resumed} s after the restart`,
    );
    expect(tally(during.map((a) => `${a.status} ${a.errorType}`))).toEqual({
      '503 service_unavailable': during.length,
    });
    expect(slowest).toBeLessThan(1_000);
    expect(outcome).toEqual({ succeeded: accepted.length });
  },
  180_000,
);
