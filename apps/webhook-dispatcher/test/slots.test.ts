import { Slots } from '../src';

/** A task that runs until the test lets it finish. */
function gate() {
  let open!: () => void;
  const done = new Promise<void>((resolve) => (open = resolve));
  return { done, open };
}

test('no more than `size` tasks run at once; the rest start in arrival order as slots free', async () => {
  const slots = new Slots(2);
  const gates = Array.from({ length: 5 }, gate);
  const started: number[] = [];
  const runs = gates.map((g, i) =>
    slots.run(async () => {
      started.push(i);
      await g.done;
      return i * 10;
    }),
  );
  await Promise.resolve();
  expect([started, slots.busy]).toEqual([[0, 1], 2]);
  gates[1]!.open();
  await runs[1];
  await Promise.resolve();
  expect([started, slots.busy]).toEqual([[0, 1, 2], 2]);
  gates[0]!.open();
  gates[2]!.open();
  await Promise.all([runs[0], runs[2]]);
  await Promise.resolve();
  expect(started).toEqual([0, 1, 2, 3, 4]);
  gates[3]!.open();
  gates[4]!.open();
  expect(await Promise.all(runs)).toEqual([0, 10, 20, 30, 40]);
  expect(slots.busy).toBe(0);
});

test('a task that fails gives its slot back and its caller gets the error', async () => {
  const slots = new Slots(1);
  const failing = slots.run(() => Promise.reject(new Error('boom')));
  const next = slots.run(() => Promise.resolve('ran'));
  await expect(failing).rejects.toThrow('boom');
  expect(await next).toBe('ran');
  expect(slots.busy).toBe(0);
});

test('a size below one is refused', () => {
  expect(() => new Slots(0)).toThrow(RangeError);
  expect(() => new Slots(1.5)).toThrow(RangeError);
});
