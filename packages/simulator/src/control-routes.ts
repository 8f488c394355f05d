import { type IncomingMessage, type ServerResponse } from 'node:http';
import { readBody, sendJson } from './http-io';
import { type SimulatorState } from './simulator-state';

const MAX_CONFIG_BYTES = 1024 * 1024;

/**
 * `/_sim/*`: lets a test in another process drive and inspect the simulator. Bodies and
 * answers are JSON; errors are `{ error: { message } }` with status 400, 404 or 405.
 */
export function handleControl(
  req: IncomingMessage,
  res: ServerResponse,
  path: string,
  query: URLSearchParams,
  state: SimulatorState,
): void {
  const method = req.method ?? 'GET';
  const route = `${method} ${path}`;
  switch (route) {
    case 'GET /_sim/health':
      return json(res, 200, { ok: true });
    case 'GET /_sim/stats':
      return json(res, 200, state.stats.snapshot());
    case 'GET /_sim/calls': {
      const since = Number(query.get('since') ?? 0);
      const calls = state.log.list();
      return json(res, 200, since > 0 ? calls.filter((c) => c.seq > since) : calls);
    }
    case 'GET /_sim/config':
      return json(res, 200, state.options);
    case 'POST /_sim/reset':
      state.reset();
      return json(res, 200, { ok: true });
    case 'POST /_sim/config':
      readBody(req, MAX_CONFIG_BYTES, (body) => {
        if (body === 'too_large') return json(res, 413, error('config body too large'));
        try {
          const patch: unknown = body.length === 0 ? {} : JSON.parse(body.toString('utf8'));
          json(res, 200, state.configure(patch));
        } catch (err) {
          json(res, 400, error(err instanceof Error ? err.message : String(err)));
        }
      });
      return;
  }
  const known = ['health', 'stats', 'calls', 'config', 'reset'].includes(path.slice(6));
  json(res, known ? 405 : 404, error(`no control endpoint ${route}`));
}

function error(message: string): unknown {
  return { error: { message } };
}

function json(res: ServerResponse, status: number, value: unknown): void {
  sendJson(res, status, JSON.stringify(value));
}
