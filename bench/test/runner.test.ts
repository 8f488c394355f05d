import { startChild } from '../src/child';
import { figure } from '../src/figures';
import { failCurrentScenario, Interrupted, runScenario, type Scenario } from '../src/runner';

const scenario = (run: Scenario['run'], timeoutMs = 60_000): Scenario => ({
  name: 'test',
  timeoutMs,
  run,
});

/** Whether no process `pid` exists any more. */
const isGone = (pid: number): boolean => {
  try {
    process.kill(pid, 0);
    return false;
  } catch {
    return true;
  }
};

test('a scenario that throws keeps the figures it reported and has its scope closed', async () => {
  const stopped: string[] = [];
  const result = await runScenario(
    scenario(async ({ scope, report }) => {
      scope.add('redis', (name) => void stopped.push(name));
      scope.add('worker', (name) => void stopped.push(name));
      report(
        figure('submit requests/s', 'req/s', 900, { baseline: { what: 'bare', value: 1_800 } }),
      );
      throw new Error('Connection is closed.');
    }),
  );
  expect(result).toMatchObject({
    name: 'test',
    status: 'failed',
    error: 'Connection is closed.',
    figures: [
      {
        measure: 'submit requests/s',
        unit: 'req/s',
        value: 900,
        baseline: { what: 'bare', value: 1_800 },
        ratio: 0.5,
      },
    ],
  });
  expect(stopped).toEqual(['worker', 'redis']);
});

test('an error from outside (an unhandled rejection) ends a waiting scenario and stops its child process', async () => {
  let pid = 0;
  let signal: AbortSignal | undefined;
  const result = await runScenario(
    scenario(async ({ scope }) => {
      signal = scope.signal;
      const child = await startChild(
        scope,
        'bench/test/fixtures/never-ends.ts',
        [],
        {},
        /never-ends ready/,
      );
      pid = child.process.pid!;
      expect(failCurrentScenario(new Error('unhandled: Connection is closed.'))).toBe(true);
      await new Promise(() => undefined); // what a scenario waiting on a dead Redis does
    }),
  );
  expect(result).toMatchObject({ status: 'failed', error: 'unhandled: Connection is closed.' });
  expect(isGone(pid)).toBe(true);
  expect(signal?.aborted).toBe(true);
  expect(failCurrentScenario(new Error('late'))).toBe(false);
});

test('a signal of the bench marks the running scenario interrupted', async () => {
  const result = await runScenario(
    scenario(async () => {
      failCurrentScenario(new Interrupted('interrupted by SIGINT'));
      await new Promise(() => undefined);
    }),
  );
  expect(result).toMatchObject({
    status: 'interrupted',
    error: 'interrupted by SIGINT',
    figures: [],
  });
});

test('a scenario that never ends is failed at its timeout', async () => {
  const result = await runScenario(scenario(() => new Promise(() => undefined), 50));
  expect(result).toMatchObject({ status: 'failed', error: 'timed out after 0.05 s' });
});

test('a scenario that ends well is ok with its figures', async () => {
  const result = await runScenario(
    scenario(async ({ report }) => report(figure('429s', 'count', 0, { aim: '0' }))),
  );
  expect(result).toMatchObject({
    status: 'ok',
    figures: [{ measure: '429s', unit: 'count', value: 0, aim: '0' }],
  });
  expect(result).not.toHaveProperty('error');
});
