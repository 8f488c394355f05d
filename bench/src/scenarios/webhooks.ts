import { createServer, request as httpRequest, Agent } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cancelByRequest } from '@switchyard/queue';
import { startRedisServer } from '@switchyard/redis-server';
import { startChild } from '../child';
import { JobLoader } from '../job-loader';
import { withScope } from '../scope';
import { fmt, percentile, type Row } from '../stats';

export interface WebhooksOptions {
  /** Events for the throughput measure. */
  events: number;
  /** Open-loop rate for the latency measure, and its seconds. */
  rate: number;
  seconds: number;
}

/**
 * One webhook-dispatcher process delivering to a receiver in this process. Throughput: a batch
 * of jobs ends at once and the dispatcher drains their events; baseline: keep-alive POSTs from
 * this process to the same receiver at the same concurrency. Latency: jobs end at a steady rate;
 * from the end (the event's time, written with the job's change) to the receiver having it.
 */
export function webhooksScenario(options: WebhooksOptions): Promise<Row[]> {
  return withScope(async (scope) => {
    const redis = scope.add(await startRedisServer(), (r) => r.stop());
    let onDelivery: (body: string) => void = () => undefined;
    const receiver = createServer((req, res) => {
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        res.writeHead(204).end();
        onDelivery(body);
      });
    });
    await new Promise<void>((resolve) => receiver.listen(0, '127.0.0.1', resolve));
    scope.add(receiver, (server) => {
      server.closeAllConnections();
      server.close();
    });
    const url = `http://127.0.0.1:${(receiver.address() as AddressInfo).port}/hooks`;
    const concurrency = 200;
    scope.add(
      await startChild(
        'apps/webhook-dispatcher/src/main.ts',
        [],
        {
          REDIS_URL: redis.url,
          SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'true',
          LOG_LEVEL: 'info',
        },
        /webhook dispatcher started/,
      ),
      (child) => child.stop(),
    );
    const loader = scope.add(await JobLoader.open(redis.url), (l) => l.close());
    const end = async (index: number) => {
      const id = await loader.submit(index, url);
      await loader.store.update(id, cancelByRequest(Date.now()));
    };

    // Throughput: end a batch of jobs, then count deliveries from the first to the last.
    let delivered = 0;
    let first = 0;
    const allDelivered = new Promise<number>((resolve) => {
      onDelivery = () => {
        if (delivered++ === 0) first = Date.now();
        if (delivered === options.events) resolve(Date.now());
      };
    });
    for (let i = 0; i < options.events; i += 500) {
      await Promise.all(
        Array.from({ length: Math.min(500, options.events - i) }, (_, k) => end(i + k)),
      );
    }
    const last = await allDelivered;
    const perSecond = (options.events - 1) / ((last - first) / 1_000);

    // Baseline: the same receiver, keep-alive POSTs from here at the same concurrency.
    const agent = new Agent({ keepAlive: true });
    const body = JSON.stringify({ type: 'job.canceled', data: { id: 'job_x' } });
    const post = () =>
      new Promise<void>((resolve, reject) => {
        const req = httpRequest(
          url,
          { method: 'POST', agent, headers: { 'content-type': 'application/json' } },
          (res) => {
            res.resume();
            res.on('end', resolve);
          },
        );
        req.once('error', reject);
        req.end(body);
      });
    onDelivery = () => undefined;
    let sent = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: concurrency }, async () => {
        while (sent < options.events) {
          sent++;
          await post();
        }
      }),
    );
    const rawPerSecond = options.events / ((Date.now() - started) / 1_000);
    agent.destroy();

    // Latency at a steady rate: from the job's end to the receiver.
    const latencies: number[] = [];
    const total = options.rate * options.seconds;
    const done = new Promise<void>((resolve) => {
      onDelivery = (text) => {
        const event = JSON.parse(text) as { timestamp: string };
        latencies.push(Date.now() - Date.parse(event.timestamp));
        if (latencies.length === total) resolve();
      };
    });
    const t0 = Date.now();
    const ends: Array<Promise<void>> = [];
    for (let i = 0; i < total; i++) {
      const wait = t0 + (i * 1_000) / options.rate - Date.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      ends.push(end(options.events + i));
    }
    await Promise.all(ends);
    await done;

    const label = `webhooks (1 dispatcher process, local receiver)`;
    return [
      {
        scenario: label,
        measure: `deliveries/s (${fmt(options.events)} events) vs raw keep-alive POSTs/s`,
        value: fmt(perSecond),
        baseline: fmt(rawPerSecond),
        ratio: (perSecond / rawPerSecond).toFixed(2),
        aim: '≥ 5,000/s',
      },
      {
        scenario: label,
        measure: `job end → webhook received at ${options.rate}/s, p50 / p99 (ms)`,
        value: `${fmt(percentile(latencies, 50))} / ${fmt(percentile(latencies, 99))}`,
        aim: 'p99 < 50',
      },
    ];
  });
}
