import { Agent, createServer, request as httpRequest } from 'node:http';
import type { AddressInfo } from 'node:net';
import { cancelByRequest } from '@switchyard/queue';
import { startChild } from '../child';
import { JobLoader } from '../job-loader';
import { cpuSecondsOf } from '../process-cpu';
import { fmt, figure } from '../figures';
import { openLoop } from '../open-loop';
import { startBenchRedis } from '../redis';
import type { ScenarioContext } from '../runner';
import { percentile } from '../stats';

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
export async function webhooksScenario(
  { scope, report }: ScenarioContext,
  options: WebhooksOptions,
): Promise<void> {
  const redis = await startBenchRedis(scope);
  let onDelivery: (body: string) => void = () => undefined;
  const receiver = createServer((req, res) => {
    let body = '';
    req.on('data', (chunk: Buffer) => (body += chunk.toString()));
    req.on('end', () => {
      res.writeHead(204).end();
      onDelivery(body);
    });
  });
  // Idle keep-alive connections stay open between the phases: a server closing one (Node's
  // default is after 5 s) just as the other side reuses it is a reset, not a measurement.
  receiver.keepAliveTimeout = 120_000;
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
      scope,
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
  const post = (body = rawBody) =>
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
  const rawRound = async () => {
    onDelivery = () => undefined;
    let sent = 0;
    const started = Date.now();
    await Promise.all(
      Array.from({ length: CONCURRENCY }, async () => {
        while (sent < options.events) {
          sent++;
          await post(rawBody);
        }
      }),
    );
    return options.events / ((Date.now() - started) / 1_000);
  };

  const drains: Array<{ perSecond: number; cpuMicros: number }> = [];
  const raws: number[] = [];
  for (let round = 0; round < options.rounds; round++) {
    scope.signal.throwIfAborted();
    drains.push(await drainRound());
    raws.push(await rawRound());
    process.stderr.write(
      `  round ${round + 1}: ${fmt(drains[round]!.perSecond)} deliveries/s, ` +
        `${fmt(drains[round]!.cpuMicros)} µs CPU each; raw ${fmt(raws[round]!)} POSTs/s\n`,
    );
  }

  const rates = drains.map((d) => d.perSecond);
  const raw = percentile(raws, 50);
  report(
    figure(
      `deliveries/s, 1 dispatcher, median of ${options.rounds} × ${fmt(options.events)} events ` +
        `(${fmt(Math.min(...rates))}–${fmt(Math.max(...rates))})`,
      'deliveries/s',
      percentile(rates, 50),
      { baseline: { what: 'keep-alive POSTs/s, same receiver', value: raw }, aim: '≥ 5,000/s' },
    ),
    figure(
      'dispatcher CPU per delivery, all threads, median',
      'µs',
      percentile(
        drains.map((d) => d.cpuMicros),
        50,
      ),
    ),
  );

  // Latency at a steady rate: first the baseline, POSTs sent straight to the receiver (sent →
  // received), then jobs ending with a dispatcher running throughout (the event's time, written
  // with the job's change → received). The first seconds of each are a warm-up, not counted.
  const warmup = options.rate * options.warmupSeconds;
  const total = warmup + options.rate * options.seconds;
  const steady = async (send: () => Promise<void>, sentAt: (body: string) => number) => {
    const latencies: number[] = [];
    let received = 0;
    const done = new Promise<void>((resolve) => {
      onDelivery = (text) => {
        // A sub-millisecond clock on the time base of Date.now(): a POST within this process
        // takes well under a millisecond.
        const now = performance.timeOrigin + performance.now();
        if (++received > warmup) latencies.push(now - sentAt(text));
        if (received === total) resolve();
      };
    });
    await openLoop({ rate: options.rate, count: total, signal: scope.signal }, send);
    await done;
    return latencies;
  };
  const direct = await steady(
    () =>
      post(
        JSON.stringify({
          type: 'job.canceled',
          sent_at: performance.timeOrigin + performance.now(),
        }),
      ),
    (text) => (JSON.parse(text) as { sent_at: number }).sent_at,
  );
  await startDispatcher();
  const delivered = await steady(endJob, (text) =>
    Date.parse((JSON.parse(text) as { timestamp: string }).timestamp),
  );
  const baseline = (p: number) => ({
    what: 'POST straight to the receiver',
    value: percentile(direct, p),
  });
  report(
    figure(`job end → webhook received p50 at ${options.rate}/s`, 'ms', percentile(delivered, 50), {
      baseline: baseline(50),
    }),
    figure(`job end → webhook received p99 at ${options.rate}/s`, 'ms', percentile(delivered, 99), {
      baseline: baseline(99),
      aim: 'p99 < 50 ms',
    }),
  );
}
