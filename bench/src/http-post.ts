import { type Agent, request } from 'node:http';

/** One POST of `body` to `target` on `agent` (keep-alive), read to its end; resolves its status. */
export function postOnce(
  agent: Agent,
  target: URL,
  headers: Record<string, string>,
  body: string,
): Promise<number | undefined> {
  return new Promise((resolve, reject) => {
    const req = request(
      {
        host: target.hostname,
        port: target.port,
        path: target.pathname,
        method: 'POST',
        agent,
        headers,
      },
      (res) => {
        res.resume();
        res.on('end', () => resolve(res.statusCode));
      },
    );
    req.on('error', reject);
    req.end(body);
  });
}
