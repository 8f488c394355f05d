import { createServer, type IncomingMessage, type ServerResponse } from 'node:http';
import type { AddressInfo } from 'node:net';
import { ConfigError, newRequestId } from '@switchyard/core';
import type { Registry } from 'prom-client';

/** A health verdict and the JSON that explains it. */
export interface HealthReport {
  ok: boolean;
  body: Record<string, unknown>;
}

/** What the operator credential of a scrape comes to (see @switchyard/tenancy's operator auth). */
export type ScrapeAccess = 'allowed' | 'missing' | 'forbidden';

export interface OpsServerOptions {
  /** METRICS_PORT; 0 picks a free one. */
  port: number;
  /** @defaultValue '0.0.0.0' */
  host?: string;
  registry: Registry;
  /** Decides who may read `/metrics` from the `Authorization` header (admin or viewer). */
  access(authorization: string | undefined): ScrapeAccess;
  /** The challenge a 401 carries, so browsers prompt and scrapers learn the scheme. */
  challenge: string;
  /** Liveness: false means "restart me" (a wedged consumer), never "Redis is away". */
  health(): HealthReport;
  /** Readiness: false means "do not count on me now". */
  ready(): Promise<HealthReport>;
  /** Runs before each scrape, e.g. to read gauges from Redis. */
  beforeScrape?(): Promise<void>;
}

export interface OpsServer {
  readonly port: number;
  readonly url: string;
  close(): Promise<void>;
}

/**
 * The operations endpoint of a process without an API of its own (worker, webhook dispatcher):
 * `/healthz` and `/readyz` for probes (no credential: they say nothing secret) and `/metrics` for
 * Prometheus behind the admin or viewer token. Plain node:http: three routes need no framework.
 */
export async function startOpsServer(options: OpsServerOptions): Promise<OpsServer> {
  const server = createServer((req, res) => {
    void answer(options, req, res).catch(() => {
      if (!res.headersSent) sendError(res, 500, 'internal_error', 'Internal error.');
      else res.destroy();
    });
  });
  // Scrapers and probes reconnect often; idle sockets must not hold close() open.
  server.keepAliveTimeout = 5_000;
  await new Promise<void>((resolve, reject) => {
    server.once('error', (error: NodeJS.ErrnoException) =>
      reject(
        error.code === 'EADDRINUSE'
          ? new ConfigError(`METRICS_PORT: ${options.port} is already in use`)
          : error,
      ),
    );
    server.listen(options.port, options.host ?? '0.0.0.0', () => resolve());
  });
  const port = (server.address() as AddressInfo).port;
  return {
    port,
    url: `http://127.0.0.1:${port}`,
    close: () =>
      new Promise<void>((resolve) => {
        server.close(() => resolve());
        server.closeAllConnections();
      }),
  };
}

async function answer(options: OpsServerOptions, req: IncomingMessage, res: ServerResponse) {
  const path = (req.url ?? '/').split('?', 1)[0];
  if (req.method !== 'GET' && req.method !== 'HEAD') {
    res.setHeader('Allow', 'GET, HEAD');
    return sendError(res, 405, 'invalid_request', `${req.method} is not allowed here.`);
  }
  if (path === '/healthz') return sendReport(res, options.health());
  if (path === '/readyz') return sendReport(res, await options.ready());
  if (path !== '/metrics')
    return sendError(res, 404, 'not_found', `No route ${req.method} ${path}.`);

  const access = options.access(req.headers.authorization);
  if (access === 'missing') {
    res.setHeader('WWW-Authenticate', options.challenge);
    return sendError(res, 401, 'authentication_error', 'Missing or invalid admin or viewer token.');
  }
  if (access === 'forbidden') {
    return sendError(res, 403, 'permission_denied', 'Metrics need the admin or viewer token.');
  }
  await options.beforeScrape?.().catch(() => undefined); // stale gauges beat no metrics
  const text = await options.registry.metrics();
  res.writeHead(200, { 'Content-Type': options.registry.contentType });
  res.end(text);
}

function sendReport(res: ServerResponse, report: HealthReport): void {
  res.writeHead(report.ok ? 200 : 503, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify(report.body));
}

function sendError(res: ServerResponse, status: number, type: string, message: string): void {
  res.writeHead(status, { 'Content-Type': 'application/json' });
  res.end(JSON.stringify({ error: { type, message, request_id: newRequestId() } }));
}
