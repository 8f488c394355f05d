import { type Simulator, startSimulator } from '../src/index';
import { openaiClient, sleep } from './helpers';

let sim: Simulator;
beforeAll(async () => {
  sim = await startSimulator({ port: 0 });
});
afterAll(() => sim.close());
beforeEach(() => sim.reset());

const model = 'gpt-4o';
const hello = [{ role: 'user' as const, content: 'Hello' }];
const hang = { 'x-simulator-fault': 'hang' };

describe('stats, nextCall() and idle()', () => {
  it('counts requests, statuses and faults, and tracks in-flight requests', async () => {
    const client = openaiClient(sim);
    await client.chat.completions.create({ model, messages: hello });
    await client.chat.completions
      .create({ model, messages: hello }, { headers: { 'x-simulator-fault': '503' } })
      .catch(() => undefined);
    const controller = new AbortController();
    const arrived = sim.nextCall();
    const hung = client.chat.completions
      .create({ model, messages: hello }, { headers: hang, signal: controller.signal })
      .catch(() => undefined);
    expect(await arrived).toEqual(expect.objectContaining({ seq: 3, status: 'hang' }));
    expect(sim.stats()).toEqual({
      requests: 3,
      inFlight: 1,
      maxInFlight: 1,
      byStatus: { '200': 1, '503': 1, hang: 1 },
      byFault: { '503': 1, hang: 1 },
    });
    controller.abort();
    await hung;
    await sim.idle();
    expect(sim.stats().inFlight).toBe(0);
  });

  it('reset() starts afresh: requests open before it no longer count, but idle() waits for them', async () => {
    const controller = new AbortController();
    const arrived = sim.nextCall();
    const hung = openaiClient(sim)
      .chat.completions.create(
        { model, messages: hello },
        { headers: hang, signal: controller.signal },
      )
      .catch(() => undefined);
    await arrived;
    expect(sim.stats().inFlight).toBe(1);
    sim.reset();
    expect(sim.stats()).toEqual({
      requests: 0,
      inFlight: 0,
      maxInFlight: 0,
      byStatus: {},
      byFault: {},
    });

    let idle = false;
    const idled = sim.idle().then(() => {
      idle = true;
    });
    await sleep(30);
    expect(idle).toBe(false);
    controller.abort();
    await hung;
    await idled;
    expect(sim.stats().inFlight).toBe(0);
  });
});
