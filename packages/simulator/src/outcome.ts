import { type IncomingMessage, type ServerResponse } from 'node:http';
import { sendJson } from './http-io';
import { type RequestScope } from './request-scope';
import { SSE_HEADERS, writeFrames } from './sse-writer';

/** What to do with a request once it has been decided. */
export type Action =
  | { kind: 'json'; status: number; body: string; headers: Record<string, string> }
  | { kind: 'stream'; frames: string[]; headers: Record<string, string> }
  | { kind: 'hang' }
  | { kind: 'reset' };

export interface Outcome {
  /** Latency before acting; rejections at the door (auth, validation, limits) have none. */
  delayMs: number;
  action: Action;
}

/** Carries out an outcome after its delay; a closed connection cancels it (see RequestScope). */
export function deliver(
  req: IncomingMessage,
  res: ServerResponse,
  scope: RequestScope,
  outcome: Outcome,
  tokenLatencyMs: number,
): void {
  const { action } = outcome;
  if (action.kind === 'hang') return;
  scope.later(outcome.delayMs, () => {
    switch (action.kind) {
      case 'json':
        sendJson(res, action.status, action.body, action.headers);
        return;
      case 'stream':
        res.writeHead(200, { ...action.headers, ...SSE_HEADERS });
        writeFrames(res, scope, action.frames, tokenLatencyMs);
        return;
      case 'reset':
        // A TCP RST, not a polite FIN: what a crashed proxy or load balancer looks like.
        req.socket.resetAndDestroy();
        return;
    }
  });
}
