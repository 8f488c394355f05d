import { createServer, request } from 'node:http';
import type { AddressInfo } from 'node:net';

/** One request as the browser sent it and the answer as it received it. */
export interface Exchange {
  method: string;
  path: string;
  authorization: string | undefined;
  status: number;
  challenge: string | undefined;
}

export interface RecordingProxy {
  /** Where the browser goes instead of the target: `http://127.0.0.1:<port>`. */
  readonly url: string;
  /** Every exchange, in the order the answers arrived. */
  readonly exchanges: Exchange[];
  close(): Promise<void>;
}

/**
 * A loopback HTTP proxy in front of `target` that records each exchange. Playwright answers an
 * HTTP auth challenge inside the browser, and neither its events nor the DevTools protocol
 * report the 401 that carried the challenge; on the wire it is plain to see.
 */
export async function startRecordingProxy(target: string): Promise<RecordingProxy> {
  const exchanges: Exchange[] = [];
  const server = createServer((req, res) => {
    const upstream = request(
      new URL(req.url ?? '/', target),
      { method: req.method, headers: req.headers },
      (answer) => {
        const challenge = answer.headers['www-authenticate'];
        exchanges.push({
          method: req.method ?? 'GET',
          path: req.url ?? '/',
          authorization: req.headers.authorization,
          status: answer.statusCode ?? 0,
          challenge: Array.isArray(challenge) ? challenge.join(', ') : challenge,
        });
        res.writeHead(answer.statusCode ?? 502, answer.headers);
        answer.pipe(res);
      },
    );
    upstream.on('error', () => res.destroy());
    req.pipe(upstream);
  });
  await new Promise<void>((resolve) => server.listen(0, '127.0.0.1', resolve));
  return {
    url: `http://127.0.0.1:${(server.address() as AddressInfo).port}`,
    exchanges,
    close: () => {
      server.closeAllConnections();
      return new Promise((resolve) => server.close(() => resolve()));
    },
  };
}
