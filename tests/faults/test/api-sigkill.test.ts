import { LANE_QUEUES } from '@switchyard/queue';
import {
  type FaultStack,
  pollUntil,
  reportFigures,
  scanKeys,
  startFaultStack,
  startSubmitLoop,
  statusesOf,
  type TimedAnswer,
  uniqueJob,
} from '../src';

let stack: FaultStack;
beforeAll(async () => {
  stack = await startFaultStack();
}, 60_000);
afterAll(() => stack.close(), 60_000);

/** API processes killed, each with submits in flight. */
const KILLS = 3;

test('SIGKILL the API mid-submit: no orphan record, no orphan queue item', async () => {
  // No worker: every job the API wrote must still be there, both as record and queue item.
  const first = await stack.startApi();
  const tenant = await stack.tenant(first);
  const answers: TimedAnswer[] = [];
  let api = first;
  for (let kill = 0; kill < KILLS; kill++) {
    if (kill > 0) api = await stack.startApi();
    const load = startSubmitLoop(api.url, tenant.apiKey, 32, (i) => uniqueJob(`api${kill}`, i));
    // Killed at a different point of the load each time.
    const killAfter = 100 + kill * 37;
    await pollUntil(
      'submits answered',
      async () => (load.answers.length >= killAfter ? true : undefined),
      {
        timeoutMs: 30_000,
        everyMs: 5,
      },
    );
    await api.kill();
    answers.push(...(await load.stop()));
  }

  const records = (await scanKeys(stack.probe, `${stack.keys.job('')}*`)).map((key) =>
    key.slice(stack.keys.job('').length),
  );
  const item = new RegExp(`^${stack.keys.bullPrefix}:${LANE_QUEUES.interactive}:(job_[a-z0-9]+)$`);
  const items = (
    await scanKeys(stack.probe, `${stack.keys.bullPrefix}:${LANE_QUEUES.interactive}:job_*`)
  ).flatMap((key) => item.exec(key)?.[1] ?? []);
  const itemSet = new Set(items);
  const recordSet = new Set(records);
  const orphanRecords = records.filter((id) => !itemSet.has(id));
  const orphanItems = items.filter((id) => !recordSet.has(id));
  const accepted = answers.flatMap((a) => (a.status === 202 ? [a.id!] : []));
  const cut = answers.filter((a) => a.status === 0).length;
  const acceptedStatuses = await statusesOf(stack.probe, stack.keys, accepted);
  reportFigures(
    `API SIGKILL: ${KILLS} kills, ${answers.length} submits (${accepted.length} got 202, ` +
      `${cut} cut off), ${records.length} records, ${items.length} queue items, ` +
      `${orphanRecords.length} orphan records, ${orphanItems.length} orphan queue items`,
  );
  expect(cut).toBeGreaterThan(0); // the kills did land mid-submit
  expect(acceptedStatuses.filter((s) => s !== 'queued')).toEqual([]);
  expect(orphanRecords).toEqual([]);
  expect(orphanItems).toEqual([]);
}, 180_000);
