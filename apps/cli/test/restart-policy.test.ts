import { HEALTHY_RUN_MS, RestartPolicy } from '../src/dev/restart-policy';

test('a process that keeps crashing is restarted after 1, 2, 4 … s, at most 30 s apart', () => {
  const policy = new RestartPolicy();
  const delays: number[] = [];
  let now = 0;
  for (let i = 0; i < 8; i++) {
    policy.started(now);
    now += 100; // crashes right after each start
    delays.push(policy.nextDelay(now));
    now += delays.at(-1)!;
  }
  expect(delays).toEqual([1_000, 2_000, 4_000, 8_000, 16_000, 30_000, 30_000, 30_000]);
});

test('a process that ran a minute before crashing is restarted quickly again', () => {
  const policy = new RestartPolicy();
  policy.started(0);
  expect(policy.nextDelay(10)).toBe(1_000);
  policy.started(1_010);
  expect(policy.nextDelay(1_020)).toBe(2_000);
  policy.started(3_020);
  expect(policy.nextDelay(3_020 + HEALTHY_RUN_MS)).toBe(1_000);
});
