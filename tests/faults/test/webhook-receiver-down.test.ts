import { http, startStack, type Stack, WebhookReceiver } from '@switchyard/integration-tests';
import { Webhook } from 'standardwebhooks';
import { pollUntil, reportFigures, secondsSince, submitMany, uniqueJob } from '../src';

/** The production schedule and outage, 60 times faster: a 2-minute outage is 2 s here. */
const SCALE = 60;
const PRODUCTION_SCHEDULE_MS = [
  5_000, 300_000, 1_800_000, 7_200_000, 18_000_000, 36_000_000, 36_000_000,
];
const OUTAGE_MS = 120_000 / SCALE;
const EVENTS = 100;

let stack: Stack;
let receiver: WebhookReceiver;
beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  stack = await startStack({
    dispatcher: true,
    allowPrivateWebhooks: true,
    config: {
      webhooks: {
        retry_schedule: PRODUCTION_SCHEDULE_MS.map((ms) => Math.round(ms / SCALE)),
        timeout: 2_000,
      },
    },
  });
}, 60_000);
afterAll(async () => {
  await stack.close();
  await receiver.close();
}, 60_000);

test('webhook receiver down for 2 minutes (compressed): every event delivered after, every signature valid', async () => {
  const created = await stack.admin.createTenant('hooked', { rpm: 1_000_000 });
  const port = Number(new URL(receiver.url).port);
  await receiver.close();
  const downAt = performance.now();
  const answers = await submitMany(stack.api.url, created.api_key.key, EVENTS, (i) =>
    uniqueJob('hooked', i, { webhook: `http://127.0.0.1:${port}/hooks` }),
  );
  const ids = answers.map((a) => a.id!);
  expect(answers.filter((a) => a.status === 202)).toHaveLength(EVENTS);
  // The outage itself is the fault: the rest of it is waited out, not an event.
  await new Promise((resolve) => setTimeout(resolve, OUTAGE_MS - (performance.now() - downAt)));
  receiver = await WebhookReceiver.start(port);
  const upAt = performance.now();
  const jobsDelivered = (): Set<string> =>
    new Set(receiver.received.map((r) => (JSON.parse(r.body) as { data: { id: string } }).data.id));
  await pollUntil(
    'an event for every job',
    async () => (jobsDelivered().size === EVENTS ? true : undefined),
    {
      timeoutMs: 60_000,
      everyMs: 100,
    },
  );
  const caughtUp = secondsSince(upAt);
  const verifier = new Webhook(created.webhook_secret);
  const verified = receiver.received.filter((r) => {
    try {
      verifier.verify(r.body, r.headers as Record<string, string>);
      return true;
    } catch {
      return false;
    }
  });
  const refused = await Promise.all(
    ids.map(async (id) => {
      const log = await http(`${stack.api.url}/v1/jobs/${id}/deliveries`, {
        token: created.api_key.key,
      });
      return (log.body.data as Array<{ result: string }>).filter((d) => d.result !== 'delivered')
        .length;
    }),
  );
  reportFigures(
    `webhook receiver down 2 min (schedule ÷ ${SCALE}): ${EVENTS} events, ${receiver.received.length} ` +
      `deliveries after it came back, all ${jobsDelivered().size} jobs' events delivered ${caughtUp} s ` +
      `after (${(120 / SCALE).toFixed(0)} s outage; the schedule's 5 min retry is ${300 / SCALE} s), ` +
      `${refused.reduce((a, b) => a + b, 0)} failed attempts logged, ` +
      `${verified.length}/${receiver.received.length} signatures valid`,
  );
  expect(verified).toHaveLength(receiver.received.length);
  expect(jobsDelivered()).toEqual(new Set(ids));
}, 120_000);
