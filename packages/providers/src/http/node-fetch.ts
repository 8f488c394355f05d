import { type IncomingMessage, request as httpRequest } from 'node:http';
import { request as httpsRequest } from 'node:https';
import { Readable } from 'node:stream';
import { freshHttpAgent, freshHttpsAgent } from './fresh-agent';
import { PooledConnectionError } from './pooled-connection-error';
import { requestSentCallback } from './request-sent';

/**
 * Keep-alive agents shared by every provider call of the process: connections are reused
 * across jobs instead of a TCP (and TLS) handshake per call. No socket cap: concurrency is the
 * worker's to decide, and a cap here would queue calls invisibly.
 */
const agentOptions = {
  keepAlive: true,
  keepAliveMsecs: 30_000,
  maxFreeSockets: 1_024,
  scheduling: 'lifo' as const,
};
const httpAgent = freshHttpAgent(agentOptions);
const httpsAgent = freshHttpsAgent(agentOptions);

/** A provider's JSON answer larger than this is refused rather than buffered. */
export const MAX_RESPONSE_BYTES = 64 * 1_048_576;

/**
 * `fetch` for the provider SDKs, on `node:http`. Node's global fetch (undici) spends more CPU
 * per call on WHATWG stream and AbortSignal plumbing than the call itself costs us elsewhere;
 * at a thousand calls a second that is the difference between keeping up and not (see
 * docs/PERFORMANCE.md). JSON answers are buffered (up to MAX_RESPONSE_BYTES); event streams
 * are passed through as a stream. Redirects are returned, not followed: a provider API that
 * redirects is misconfigured, and the SDK reports the status. Anything the SDKs do not send
 * (Request objects, form or stream bodies) goes to the global fetch.
 */
export const nodeFetch: typeof fetch = async (input, init = {}) => {
  const body = init.body;
  const plainBody =
    body === undefined || body === null || typeof body === 'string' || body instanceof Uint8Array;
  if (!plainBody || !(typeof input === 'string' || input instanceof URL)) {
    return fetch(input, init);
  }
  const url = new URL(input);
  const secure = url.protocol === 'https:';
  const headers: Record<string, string> = {};
  new Headers(init.headers).forEach((value, name) => (headers[name] = value));

  const pool = secure ? httpsAgent : httpAgent;
  // Right before the request takes a pooled connection: none its server may have closed.
  pool.dropStale();
  return new Promise<Response>((resolve, reject) => {
    let responded = false;
    const request = (secure ? httpsRequest : httpRequest)(
      url,
      {
        method: init.method ?? 'GET',
        headers,
        agent: pool.agent,
        signal: init.signal ?? undefined,
      },
      (res) => {
        responded = true;
        respond(res).then(resolve, reject);
      },
    );
    // Reset before any answer on a reused connection: say so (see PooledConnectionError).
    request.once('error', (error: NodeJS.ErrnoException) => {
      const reset = error.code === 'ECONNRESET' || error.code === 'EPIPE';
      reject(
        reset && !responded && request.reusedSocket ? new PooledConnectionError(error) : error,
      );
    });
    const onSent = requestSentCallback();
    if (onSent) request.once('finish', onSent);
    request.end(body ?? undefined);
  });
};

async function respond(res: IncomingMessage): Promise<Response> {
  const headers = new Headers();
  for (let i = 0; i < res.rawHeaders.length; i += 2) {
    headers.append(res.rawHeaders[i]!, res.rawHeaders[i + 1]!);
  }
  const init = { status: res.statusCode ?? 0, statusText: res.statusMessage ?? '', headers };
  if (init.status === 204 || init.status === 304) {
    res.resume();
    return new Response(null, init);
  }
  if (headers.get('content-type')?.toLowerCase().startsWith('text/event-stream')) {
    return new Response(Readable.toWeb(res) as ReadableStream<Uint8Array>, init);
  }
  const chunks: Buffer[] = [];
  let size = 0;
  for await (const chunk of res) {
    size += (chunk as Buffer).length;
    if (size > MAX_RESPONSE_BYTES) {
      res.destroy();
      throw new Error(`response body larger than ${MAX_RESPONSE_BYTES} bytes`);
    }
    chunks.push(chunk as Buffer);
  }
  return new Response(Buffer.concat(chunks), init);
}
