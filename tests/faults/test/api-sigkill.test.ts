import { ENQUEUE_GRACE_MS, LANE_QUEUES, RECONCILE_EVERY_MS } from '@switchyard/queue';
import {
  type FaultStack,
  pollUntil,
  reportFigures,
  scanKeys,
  secondsSince,
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
/** Time for an API process to start and a reconciler pass to finish, on top of its schedule. */
const MARGIN_MS = 10_000;

interface QueueState {
  records: string[];
  items: string[];
  /** Records without a queue item: submits killed between their two steps, not yet reconciled. */
  orphanRecords: string[];
  /** Queue items without a record. */
  orphanItems: string[];
}

/** Which jobs have a record and which a queue item (no worker runs, so both only grow). */
async function queueState(): Promise<QueueState> {
  const recordPrefix = stack.keys.job('');
  const records = (await scanKeys(stack.probe, `${recordPrefix}*`)).map((key) =>
    key.slice(recordPrefix.length),
  );
  const lane = `${stack.keys.bullPrefix}:${LANE_QUEUES.interactive}:`;
  const item = new RegExp(`^${lane}(job_[a-z0-9]+)$`);
  const items = (await scanKeys(stack.probe, `${lane}job_*`)).flatMap(
    (key) => item.exec(key)?.[1] ?? [],
  );
  const itemSet = new Set(items);
  const recordSet = new Set(records);
  return {
    records,
    items,
    orphanRecords: records.filter((id) => !itemSet.has(id)),
    orphanItems: items.filter((id) => !recordSet.has(id)),
  };
}

test('SIGKILL the API mid-submit: the reconciler queues every orphan record, no orphan queue item', async () => {
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
  const lastKill = performance.now();
  // What the kills left: records whose enqueue never happened show the window was hit.
  const afterKills = await queueState();

  // An API process running again closes the window: its reconciler queues each orphan once the
  // entry is older than the grace period.
  await stack.startApi();
  const closed = await pollUntil(
    'every record has its queue item',
    async () => {
      const state = await queueState();
      return state.orphanRecords.length === 0 ? state : undefined;
    },
    { timeoutMs: ENQUEUE_GRACE_MS + RECONCILE_EVERY_MS + MARGIN_MS, everyMs: 250 },
  );
  const reconciledAfter = secondsSince(lastKill);

  const accepted = answers.flatMap((a) => (a.status === 202 ? [a.id!] : []));
  const cut = answers.filter((a) => a.status === 0).length;
  const acceptedStatuses = await statusesOf(stack.probe, stack.keys, accepted);
  reportFigures(
    `API SIGKILL: ${KILLS} kills, ${answers.length} submits (${accepted.length} got 202, ` +
      `${cut} cut off); right after the kills ${afterKills.records.length} records, ` +
      `${afterKills.items.length} queue items, ${afterKills.orphanRecords.length} records ` +
      `without a queue item; after an API restart all queued by the reconciler ` +
      `${reconciledAfter} s after the last kill (grace ${ENQUEUE_GRACE_MS / 1000} s, pass every ` +
      `${RECONCILE_EVERY_MS / 1000} s): ${closed.records.length} records, ` +
      `${closed.items.length} queue items, ${closed.orphanItems.length} orphan queue items`,
  );
  expect(cut).toBeGreaterThan(0); // the kills did land mid-submit
  expect(acceptedStatuses.filter((s) => s !== 'queued')).toEqual([]);
  expect(closed.orphanItems).toEqual([]);
  // Exactly one queue item per record: BullMQ keys its items by job ID, so equal sets of IDs
  // with equal sizes leave no record with two.
  expect(closed.items.length).toBe(closed.records.length);
  expect(new Set(closed.items).size).toBe(closed.items.length);
}, 180_000);
