import { Agent } from 'node:http';
import { postOnce } from './http-post';

/**
 * Sends `count` POSTs of `body` over `concurrency` keep-alive connections, each sending its next
 * request as soon as the last is answered; resolves with the time all took and how many answers
 * had another status than `expectStatus`.
 */
export async function postMany(options: {
  url: string;
  headers: Record<string, string>;
  body: string;
  count: number;
  concurrency: number;
  expectStatus: number;
}): Promise<{ ms: number; unexpected: number }> {
  const agent = new Agent({ keepAlive: true, maxSockets: options.concurrency });
  const target = new URL(options.url);
  let unexpected = 0;
  let sent = 0;
  const one = async () => {
    const status = await postOnce(agent, target, options.headers, options.body);
    if (status !== options.expectStatus) unexpected++;
  };
  const started = performance.now();
  try {
    await Promise.all(
      Array.from({ length: options.concurrency }, async () => {
        while (sent++ < options.count) await one();
      }),
    );
  } finally {
    agent.destroy();
  }
  return { ms: performance.now() - started, unexpected };
}
