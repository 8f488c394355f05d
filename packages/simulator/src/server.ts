import { createServer, type IncomingMessage, type Server, type ServerResponse } from 'node:http';
import { type AddressInfo, type Socket } from 'node:net';
import { anthropicDialect } from './anthropic-dialect';
import { type CallRecord } from './call-log';
import { handleControl } from './control-routes';
import { type Dialect } from './dialect';
import { handleCompletion } from './handle-completion';
import { sendJson } from './http-io';
import { openaiDialect } from './openai-dialect';
import { type SimulatorOptions, type SimulatorOptionsPatch } from './options';
import { SimulatorState } from './simulator-state';
import { type SimulatorStats } from './stats';

/** Options for startSimulator: the simulator options plus where to listen. */
export type SimulatorStartOptions = SimulatorOptions & {
  /** Port to listen on; 0 picks a free one. Default 0. */
  port?: number;
  /** Interface to listen on. Default `127.0.0.1`. */
  host?: string;
  /**
   * How long an idle keep-alive connection stays open, ms (announced to clients as
   * `Keep-Alive: timeout=<s>`), as a provider's front end decides it.
   * @defaultValue 5_000 (Node's default)
   */
  keepAliveTimeoutMs?: number;
};

/** A running simulator. */
export interface Simulator {
  /** `http://<host>:<port>`, with 127.0.0.1 standing in for a wildcard host. */
  url: string;
  port: number;
  /** `url + '/v1'`: the OpenAI SDK's `baseURL`. */
  openaiBaseUrl: string;
  /** `url`: the Anthropic SDK's `baseURL`. */
  anthropicBaseUrl: string;
  /** Merges options (see SimulatorOptionsPatch); throws a one-line Error if invalid. */
  configure(partial: SimulatorOptionsPatch): void;
  /** Clears the call log, counters, rate-limit windows and `times=` counters; re-seeds the PRNG. */
  reset(): void;
  stats(): SimulatorStats;
  /** The call log, oldest first. */
  calls(): CallRecord[];
  /**
   * Resolves with the next call the simulator decides (for a hang, as soon as its body is read),
   * so a test can wait for a request to reach the simulator without polling.
   */
  nextCall(): Promise<CallRecord>;
  /** Resolves once no completion request is open (at once if none is). */
  idle(): Promise<void>;
  /**
   * Resolves once no TCP connection to the simulator is open (at once if none is): e.g. when
   * its keep-alive timeout has closed every idle connection.
   */
  disconnected(): Promise<void>;
  /** Stops listening and destroys every connection, hanging ones included. */
  close(): Promise<void>;
}

// Thousands of clients connecting at once must not overflow the accept queue (Node's default is 511).
const LISTEN_BACKLOG = 4096;

const COMPLETION_ROUTES: Record<string, Dialect> = {
  '/v1/chat/completions': openaiDialect,
  '/v1/messages': anthropicDialect,
};

export async function startSimulator(options: SimulatorStartOptions = {}): Promise<Simulator> {
  const { port = 0, host = '127.0.0.1', keepAliveTimeoutMs, ...simulatorOptions } = options;
  const state = new SimulatorState(simulatorOptions);
  const server = createServer((req, res) => route(req, res, state));
  if (keepAliveTimeoutMs !== undefined) server.keepAliveTimeout = keepAliveTimeoutMs;
  const connections = new ConnectionCount(server);
  await listen(server, port, host);
  const actualPort = (server.address() as AddressInfo).port;
  const url = `http://${urlHost(host)}:${actualPort}`;
  let closing: Promise<void> | undefined;
  return {
    url,
    port: actualPort,
    openaiBaseUrl: `${url}/v1`,
    anthropicBaseUrl: url,
    configure: (partial) => void state.configure(partial),
    reset: () => state.reset(),
    stats: () => state.stats.snapshot(),
    calls: () => state.log.list(),
    nextCall: () => state.nextCall(),
    idle: () => state.whenIdle(),
    disconnected: () => connections.none(),
    close: () =>
      (closing ??= new Promise<void>((resolve) => {
        // Sockets report 'close' after the server does; wait for them so no request timer
        // outlives close() and stats read afterwards are final.
        server.close(() => void state.whenIdle().then(resolve));
        server.closeAllConnections();
      })),
  };
}

function route(req: IncomingMessage, res: ServerResponse, state: SimulatorState): void {
  const url = req.url ?? '/';
  const q = url.indexOf('?');
  const path = q === -1 ? url : url.slice(0, q);
  const dialect = COMPLETION_ROUTES[path];
  if (dialect) {
    if (req.method === 'POST') return handleCompletion(req, res, dialect, state);
    return notFound(res, 405, `${req.method ?? ''} is not allowed on ${path}; use POST`);
  }
  if (path.startsWith('/_sim/')) {
    return handleControl(
      req,
      res,
      path,
      new URLSearchParams(q === -1 ? '' : url.slice(q + 1)),
      state,
    );
  }
  notFound(res, 404, `no route for ${req.method ?? ''} ${path}`);
}

// Anthropic's error shape also satisfies the OpenAI SDK, which only reads `body.error`.
function notFound(res: ServerResponse, status: number, message: string): void {
  const type = status === 404 ? 'not_found_error' : 'invalid_request_error';
  sendJson(res, status, JSON.stringify({ type: 'error', error: { type, message } }));
}

/** The open TCP connections of a server, and who waits for there to be none. */
class ConnectionCount {
  private open = 0;
  private waiters: Array<() => void> = [];

  constructor(server: Server) {
    server.on('connection', (socket: Socket) => {
      this.open++;
      socket.once('close', () => {
        if (--this.open > 0) return;
        for (const wake of this.waiters.splice(0)) wake();
      });
    });
  }

  none(): Promise<void> {
    if (this.open === 0) return Promise.resolve();
    return new Promise((resolve) => this.waiters.push(resolve));
  }
}

function listen(server: Server, port: number, host: string): Promise<void> {
  return new Promise((resolve, reject) => {
    server.once('error', reject);
    server.listen({ port, host, backlog: LISTEN_BACKLOG }, () => {
      server.off('error', reject);
      resolve();
    });
  });
}

function urlHost(host: string): string {
  if (host === '0.0.0.0' || host === '') return '127.0.0.1';
  if (host === '::') return '[::1]';
  return host.includes(':') ? `[${host}]` : host;
}
