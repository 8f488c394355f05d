import { Redis } from 'ioredis';

const SETTLE_MS = 3_000;
const POLL_MS = 50;

/**
 * Fails when a closed stack left connections open on its Redis: those whose name starts with one
 * of `owners` (the API's and workers' ids name their connections, the key namespace prefixes
 * BullMQ's; another stack sharing the server has other names). A leaked
 * connection keeps a process from exiting, so this is what makes `close()` honest. The server
 * notices a client's close a moment after the client does, hence the short settle window.
 */
export async function assertNoConnectionsLeft(redisUrl: string, owners: string[]): Promise<void> {
  const probe = new Redis(redisUrl, { lazyConnect: true, maxRetriesPerRequest: 0 });
  try {
    await probe.connect();
  } catch {
    probe.disconnect();
    return; // Redis is down (a test stopped it): nothing can be connected to it.
  }
  try {
    const deadline = Date.now() + SETTLE_MS;
    let left = await namedClients(probe, owners);
    while (left.length && Date.now() < deadline) {
      await new Promise((resolve) => setTimeout(resolve, POLL_MS));
      left = await namedClients(probe, owners);
    }
    if (left.length) throw new Error(`connections left open after close: ${left.join(', ')}`);
  } finally {
    probe.disconnect();
  }
}

async function namedClients(probe: Redis, owners: string[]): Promise<string[]> {
  const list = (await probe.client('LIST')) as string;
  return list
    .split('\n')
    .map((line) => /(?:^| )name=(\S+)/.exec(line)?.[1])
    .filter((name): name is string => !!name && owners.some((owner) => name.startsWith(owner)));
}
