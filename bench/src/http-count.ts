import { Agent, request } from 'node:http';

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
  const one = () =>
    new Promise<void>((resolve, reject) => {
      const req = request(
        {
          host: target.hostname,
          port: target.port,
          path: target.pathname,
          method: 'POST',
          agent,
          headers: options.headers,
        },
        (res) => {
          res.resume();
          res.on('end', () => {
            if (res.statusCode !== options.expectStatus) unexpected++;
            resolve();
          });
        },
      );
      req.on('error', reject);
      req.end(options.body);
    });
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
