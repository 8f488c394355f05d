import { Agent } from 'node:http';
import { postOnce } from './http-post';
import { percentile } from './stats';

export interface LoadResult {
  /** Requests answered. */
  requests: number;
  requestsPerSecond: number;
  p50Ms: number;
  p99Ms: number;
  /** Answers whose status was not the expected one. */
  unexpected: number;
}

/**
 * A closed-loop HTTP load: `concurrency` keep-alive connections each sending the next request
 * as soon as the last is answered, for `durationMs`.
 */
export async function httpLoad(options: {
  url: string;
  headers: Record<string, string>;
  body: string;
  expectStatus: number;
  concurrency: number;
  durationMs: number;
}): Promise<LoadResult> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const target = new URL(options.url);
  const latencies: number[] = [];
  let unexpected = 0;
  const deadline = Date.now() + options.durationMs;
  const one = async () => {
    const sent = performance.now();
    const status = await postOnce(agent, target, options.headers, options.body);
    latencies.push(performance.now() - sent);
    if (status !== options.expectStatus) unexpected++;
  };
  const started = Date.now();
  await Promise.all(
    Array.from({ length: options.concurrency }, async () => {
      while (Date.now() < deadline) await one();
    }),
  );
  const elapsed = Date.now() - started;
  agent.destroy();
  return {
    requests: latencies.length,
    requestsPerSecond: (latencies.length / elapsed) * 1_000,
    p50Ms: percentile(latencies, 50),
    p99Ms: percentile(latencies, 99),
    unexpected,
  };
}
