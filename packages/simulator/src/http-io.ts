import { type IncomingMessage, type ServerResponse } from 'node:http';

/**
 * Collects the body; past `limit` bytes it keeps draining (so the 413 can still be sent on a
 * healthy connection) but stops buffering. Connection errors surface as the response's 'close'.
 */
export function readBody(
  req: IncomingMessage,
  limit: number,
  done: (body: Buffer | 'too_large') => void,
): void {
  const chunks: Buffer[] = [];
  let size = 0;
  req.on('data', (chunk: Buffer) => {
    size += chunk.length;
    if (size <= limit) chunks.push(chunk);
  });
  req.on('end', () => done(size > limit ? 'too_large' : Buffer.concat(chunks, size)));
  req.on('error', () => undefined);
}

export function sendJson(
  res: ServerResponse,
  status: number,
  body: string,
  headers: Record<string, string> = {},
): void {
  res.writeHead(status, {
    ...headers,
    'content-type': 'application/json',
    'content-length': Buffer.byteLength(body),
  });
  res.end(body);
}
