import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cancelByRequest } from '@switchyard/queue';
import { startRedisServer } from '@switchyard/redis-server';
import { startChild } from '../child';
import { JobLoader } from '../job-loader';
import { cpuSecondsOf } from '../process-cpu';
import { withScope } from '../scope';
import { fmt, percentile, type Row } from '../stats';

export interface WebhooksOptions {
  /** Events per throughput round. */
  events: number;
  /** Throughput rounds, each followed by its baseline; the table gives medians. */
  rounds: number;
  /** Open-loop rate for the latency measure, and its seconds (after a warm-up not counted). */
  rate: number;
  seconds: number;
  warmupSeconds: number;
}

/** Concurrency of the baseline's POSTs: the dispatcher's default (`webhooks.concurrency`). */
const CONCURRENCY = 200;

/**
 * One webhook-dispatcher process delivering to a receiver in this process.
 *
 * Throughput, in rounds: jobs end while no dispatcher runs (their events wait in the outbox),
 * then a dispatcher starts and drains them; deliveries/s from the first to the last, and the
 * dispatcher's CPU time per delivery (all threads, from /proc). Each round is followed by its
 * baseline, keep-alive POSTs from this process to the same receiver at the same concurrency, so
 * a noisy spell of the machine hits both; the table gives the medians.
 *
 * Latency: jobs end at a steady rate with a fresh dispatcher running (its first seconds, while
 * the JIT warms up, are not counted); from the end (the event's time, written with the job's
 * change) to the receiver having it.
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
    const loader = scope.add(await JobLoader.open(redis.url), (l) => l.close());
    let jobs = 0;
    const endJob = async () => {
      const id = await loader.submit(jobs++, url);
      await loader.store.update(id, cancelByRequest(Date.now()));
    };
    const startDispatcher = () =>
      startChild(
        'apps/webhook-dispatcher/src/main.ts',
        [],
        {
          REDIS_URL: redis.url,
          SWITCHYARD_WEBHOOK_ALLOW_PRIVATE: 'true',
          LOG_LEVEL: 'info',
          METRICS_PORT: '0',
        },
        /webhook dispatcher started/,
        (process.env.BENCH_DISPATCHER_NODE_ARGS ?? '').split(' ').filter(Boolean),
      );

    /** Counts `count` deliveries; resolves with the first's and last's times and CPU readings. */
    const countDeliveries = (count: number, cpu: () => number | undefined) =>
      new Promise<{ ms: number; cpuSeconds: number }>((resolve) => {
        let seen = 0;
        let first = { at: 0, cpu: 0 };
        onDelivery = () => {
          seen++;
          if (seen === 1) first = { at: Date.now(), cpu: cpu() ?? Number.NaN };
          if (seen === count) {
            resolve({ ms: Date.now() - first.at, cpuSeconds: (cpu() ?? Number.NaN) - first.cpu });
          }
        };
      });

    const drainRound = async () => {
      for (let i = 0; i < options.events; i += 500) {
        await Promise.all(Array.from({ length: Math.min(500, options.events - i) }, endJob));
      }
      // The count starts before the dispatcher does: its first delivery may come at once.
      const running: { pid?: number } = {};
      const counted = countDeliveries(options.events, () =>
        running.pid === undefined ? undefined : cpuSecondsOf(running.pid),
      );
      const dispatcher = await startDispatcher();
      running.pid = dispatcher.process.pid;
      try {
        const { ms, cpuSeconds } = await counted;
        return {
          perSecond: (options.events - 1) / (ms / 1_000),
          cpuMicros: (cpuSeconds * 1e6) / (options.events - 1),
        };
      } finally {
        await dispatcher.stop();
      }
    };

    const agent = scope.add(new Agent({ keepAlive: true }), (a) => a.destroy());
    const rawBody = JSON.stringify({ type: 'job.canceled', data: { id: 'job_x' } });
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
        req.end(rawBody);
      });
    const rawRound = async () => {
      onDelivery = () => undefined;
      let sent = 0;
      const started = Date.now();
      await Promise.all(
        Array.from({ length: CONCURRENCY }, async () => {
          while (sent < options.events) {
            sent++;
            await post();
          }
        }),
      );
      return options.events / ((Date.now() - started) / 1_000);
    };

    const drains: Array<{ perSecond: number; cpuMicros: number }> = [];
    const raws: number[] = [];
    for (let round = 0; round < options.rounds; round++) {
      drains.push(await drainRound());
      raws.push(await rawRound());
      process.stderr.write(
        `  round ${round + 1}: ${fmt(drains[round]!.perSecond)} deliveries/s, ` +
          `${fmt(drains[round]!.cpuMicros)} µs CPU each; raw ${fmt(raws[round]!)} POSTs/s\n`,
      );
    }

    // Latency at a steady rate, with a dispatcher running throughout.
    scope.add(await startDispatcher(), (child) => child.stop());
    const latencies: number[] = [];
    const warmup = options.rate * options.warmupSeconds;
    const total = warmup + options.rate * options.seconds;
    let received = 0;
    const done = new Promise<void>((resolve) => {
      onDelivery = (text) => {
        const event = JSON.parse(text) as { timestamp: string };
        if (++received > warmup) latencies.push(Date.now() - Date.parse(event.timestamp));
        if (received === total) resolve();
      };
    });
    const t0 = Date.now();
    const ends: Array<Promise<void>> = [];
    for (let i = 0; i < total; i++) {
      const wait = t0 + (i * 1_000) / options.rate - Date.now();
      if (wait > 1) await new Promise((resolve) => setTimeout(resolve, wait));
      ends.push(endJob());
    }
    await Promise.all(ends);
    await done;

    const rates = drains.map((d) => d.perSecond);
    const rate = percentile(rates, 50);
    const raw = percentile(raws, 50);
    const label = `webhooks (1 dispatcher process, local receiver)`;
    return [
      {
        scenario: label,
        measure:
          `deliveries/s, median of ${options.rounds} × ${fmt(options.events)} events ` +
          `(${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))}) vs raw keep-alive POSTs/s`,
        value: fmt(rate),
        baseline: fmt(raw),
        ratio: (rate / raw).toFixed(2),
        aim: '≥ 5,000/s',
      },
      {
        scenario: label,
        measure: 'dispatcher CPU per delivery, all threads, median (µs)',
        value: fmt(
          percentile(
            drains.map((d) => d.cpuMicros),
            50,
          ),
        ),
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
