import { http, startStack, type Stack } from '../src';

/**
 * A tenant with a monthly budget never runs a model without a price: a call it could not count
 * against the budget. Such a hop is skipped for the next model of the chain, and the job fails,
 * naming the model and how to price it, when none is left. Jobs are submitted while the tenant
 * has no budget and run after it was given one, so the run itself is what is tested.
 */
let stack: Stack;
beforeAll(async () => {
  // Unpriced models are refused at submit unless the config allows them; it does here.
  stack = await startStack({ worker: false, config: { pricing: { allow_unpriced: true } } });
});
afterAll(() => stack.close());

const UNPRICED = 'openai/gpt-unpriced-test';
const ask = (model: string, fallbacks: string[] = []) => ({
  model,
  fallbacks,
  cache: false,
  input: { messages: [{ role: 'user' as const, content: 'price me' }] },
});

test('with a budget, an unpriced model is skipped, or fails the job when it is the last', async () => {
  const tenant = await stack.tenant();
  const skipped = await tenant.client.submit(ask(UNPRICED, ['openai/gpt-4o-mini']));
  const refused = await tenant.client.submit(ask(UNPRICED));
  const given = await http(`${stack.api.url}/admin/tenants/${tenant.id}`, {
    method: 'PATCH',
    token: stack.adminToken,
    body: { limits: { monthly_budget_usd: 10 } },
  });
  expect(given.status).toBe(200);
  await stack.startWorker();

  const served = await tenant.client.waitFor(skipped.job.id);
  expect(served.status).toBe('succeeded');
  expect(served.served_by).toEqual({ provider: 'openai', model: 'gpt-4o-mini' });
  expect(served.attempts.map((attempt) => [attempt.model, attempt.outcome])).toEqual([
    ['gpt-4o-mini', 'succeeded'],
  ]);
  expect(served.usage!.cost_usd).toBeGreaterThan(0);

  const failed = await tenant.client.waitFor(refused.job.id);
  expect(failed.status).toBe('failed');
  expect(failed.attempts).toEqual([]);
  expect(failed.error).toEqual({
    type: 'invalid_request',
    message:
      `${UNPRICED} has no price in the config and the tenant has a monthly budget, so it is ` +
      'never called (a call without a price could not be counted), and no model is left after ' +
      'it in the chain. Price it under `models` in SWITCHYARD_CONFIG (input_per_million, ' +
      'output_per_million).',
  });
  // The simulator saw the priced model only.
  expect(stack.simulator.calls().map((call) => call.model)).toEqual(['gpt-4o-mini']);
});

test('without a budget, an unpriced model is called, its cost unknown (null)', async () => {
  stack.simulator.reset();
  const tenant = await stack.tenant();
  const { job } = await tenant.client.submit(ask(UNPRICED));
  const done = await tenant.client.waitFor(job.id);
  expect(done.status).toBe('succeeded');
  expect(done.served_by).toEqual({ provider: 'openai', model: 'gpt-unpriced-test' });
  expect(done.usage!.cost_usd).toBeNull();
});
