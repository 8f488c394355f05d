import { setTimeout as sleep } from 'node:timers/promises';

/**
 * Sends `count` items at `rate` per second on a fixed schedule, whatever the system under test
 * does (open loop: a slow answer does not delay the next send), and resolves with every
 * answer once all have come. Stops sending when `signal` aborts (the scenario has ended).
 * Every send is awaited before this settles, so none can fail after its scenario closed.
 */
export async function openLoop<T>(
  options: { rate: number; count: number; signal: AbortSignal },
  send: (index: number) => Promise<T>,
): Promise<T[]> {
  const started = Date.now();
  const sent: Array<Promise<T>> = [];
  for (let i = 0; i < options.count; i++) {
    options.signal.throwIfAborted();
    const wait = started + (i * 1_000) / options.rate - Date.now();
    if (wait > 1) await sleep(wait);
    const one = send(i);
    // Handled now (a failure is reported by Promise.all below), not only once the loop ends.
    one.catch(() => undefined);
    sent.push(one);
  }
  return Promise.all(sent);
}
