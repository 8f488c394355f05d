import { randomBytes } from 'node:crypto';
import { findFreePort } from '@switchyard/redis-server';
import type OpenAI from 'openai';
import { startChild, startSimulatorProcess, startWorkerProcess } from '../child';
import { figure } from '../figures';
import { startBenchRedis } from '../redis';
import type { ScenarioContext } from '../runner';
import { simulatorClient } from '../sdk-call';
import { percentile } from '../stats';

export interface EventsOptions {
  /** Jobs streamed one after another (each next to a direct call with the same prompt). */
  jobs: number;
  /** The simulator's time to first token. */
  latencyMs: number;
  /** The simulator's time between chunks. */
  tokenLatencyMs: number;
  /** Tokens per answer. */
  maxTokens: number;
}

/** When each piece of text arrived, from the request: `[text length so far, ms]`. */
type Arrivals = Array<[number, number]>;

/**
 * Streaming through Switchyard against streaming from the provider itself, one after another
 * with the same prompt on the same simulator: the OpenAI SDK's own stream (`stream: true`) is the
 * baseline. For the relay, a client submits a job and at once opens `GET /v1/jobs/{id}/events`,
 * as the SDK and CLI do; its clock starts at the submit. Figures: time to the first text, and
 * for each delta, how much later its text arrived than the same text in the provider's stream.
 */
export async function eventsScenario(
  { scope, report }: ScenarioContext,
  options: EventsOptions,
): Promise<void> {
  const redis = await startBenchRedis(scope);
  const simulator = await startSimulatorProcess(scope, `${options.latencyMs}ms`, [
    '--token-latency',
    `${options.tokenLatencyMs}ms`,
  ]);
  const adminToken = randomBytes(18).toString('base64url');
  const port = await findFreePort();
  await startChild(
    scope,
    'apps/api/src/main.ts',
    [],
    {
      PORT: String(port),
      REDIS_URL: redis.url,
      SWITCHYARD_ADMIN_TOKEN: adminToken,
      OPENAI_API_KEY: 'sk-bench',
      OPENAI_BASE_URL: `${simulator.url}/v1`,
      LOG_LEVEL: 'info',
    },
    /api listening/,
  );
  await startWorkerProcess(scope, redis, simulator.url, { concurrency: 10 });
  const api = `http://127.0.0.1:${port}`;
  const created = await fetch(`${api}/admin/tenants`, {
    method: 'POST',
    headers: { Authorization: `Bearer ${adminToken}`, 'Content-Type': 'application/json' },
    body: JSON.stringify({ name: 'bench', limits: { rpm: 1_000_000 } }),
  });
  const apiKey = ((await created.json()) as { api_key: { key: string } }).api_key.key;
  const client = simulatorClient(simulator.url);

  const direct = { first: [] as number[], whole: [] as number[] };
  const relay = { first: [] as number[], whole: [] as number[], streamed: 0 };
  const lags: number[] = [];
  // One unmeasured round first: connections opened, code compiled.
  for (let i = -1; i < options.jobs; i++) {
    const prompt = `Benchmark events job ${i} ${randomBytes(4).toString('hex')}`;
    const own = await directStream(client, prompt, options.maxTokens);
    const relayed = await relayStream(api, apiKey, prompt, options.maxTokens);
    if (i < 0) continue;
    direct.first.push(own[0]![1]);
    direct.whole.push(own.at(-1)![1]);
    relay.first.push(relayed.arrivals[0]![1]);
    relay.whole.push(relayed.arrivals.at(-1)![1]);
    if (relayed.arrivals.length > 1) relay.streamed++;
    for (const [length, at] of relayed.arrivals) lags.push(at - timeOf(own, length));
  }
  const what = 'OpenAI SDK streaming from the simulator';
  report(
    figure('submit to first delta at an SSE client, p50', 'ms', percentile(relay.first, 50), {
      baseline: { what: `${what}: first token p50`, value: percentile(direct.first, 50) },
    }),
    figure('submit to first delta at an SSE client, p99', 'ms', percentile(relay.first, 99), {
      baseline: { what: `${what}: first token p99`, value: percentile(direct.first, 99) },
    }),
    figure('delay a delta arrives after the same text direct, p50', 'ms', percentile(lags, 50)),
    figure('delay a delta arrives after the same text direct, p99', 'ms', percentile(lags, 99)),
    figure('submit to the whole text at an SSE client, p50', 'ms', percentile(relay.whole, 50), {
      baseline: { what: `${what}: last token p50`, value: percentile(direct.whole, 50) },
    }),
    figure('jobs whose call streamed (listener in time)', 'jobs', relay.streamed, {
      baseline: { what: 'jobs', value: options.jobs },
    }),
  );
}

/** When the direct stream first held `length` characters of text. */
function timeOf(arrivals: Arrivals, length: number): number {
  return (arrivals.find(([had]) => had >= length) ?? arrivals.at(-1)!)[1];
}

/** The provider's own stream, with the official SDK. */
async function directStream(client: OpenAI, prompt: string, maxTokens: number): Promise<Arrivals> {
  const started = performance.now();
  const stream = await client.chat.completions.create({
    model: 'gpt-4o-mini',
    messages: [{ role: 'user', content: prompt }],
    max_completion_tokens: maxTokens,
    stream: true,
  });
  const arrivals: Arrivals = [];
  let length = 0;
  for await (const chunk of stream) {
    const text = chunk.choices[0]?.delta.content ?? '';
    if (text === '') continue;
    length += text.length;
    arrivals.push([length, performance.now() - started]);
  }
  return arrivals;
}

/** A job submitted and its events read at once, as the SDK's `stream` does. */
async function relayStream(
  api: string,
  apiKey: string,
  prompt: string,
  maxTokens: number,
): Promise<{ arrivals: Arrivals }> {
  const started = performance.now();
  const headers = { Authorization: `Bearer ${apiKey}` };
  const submitted = await fetch(`${api}/v1/jobs`, {
    method: 'POST',
    headers: { ...headers, 'Content-Type': 'application/json' },
    body: JSON.stringify({
      model: 'openai/gpt-4o-mini',
      input: { messages: [{ role: 'user', content: prompt }], max_tokens: maxTokens },
      cache: false,
    }),
  });
  const { id } = (await submitted.json()) as { id: string };
  const response = await fetch(`${api}/v1/jobs/${id}/events`, { headers });
  const reader = response.body!.getReader();
  const decoder = new TextDecoder();
  const arrivals: Arrivals = [];
  let length = 0;
  let buffer = '';
  for (;;) {
    const { done, value } = await reader.read();
    if (done) break;
    buffer += decoder.decode(value, { stream: true });
    let end: number;
    while ((end = buffer.indexOf('\n\n')) >= 0) {
      const block = buffer.slice(0, end);
      buffer = buffer.slice(end + 2);
      if (!block.includes('\nevent: delta\n')) continue;
      const data = JSON.parse(block.slice(block.indexOf('\ndata: ') + 7)) as { text: string };
      length += data.text.length;
      arrivals.push([length, performance.now() - started]);
    }
  }
  if (arrivals.length === 0) throw new Error(`job ${id} sent no delta`);
  return { arrivals };
}
