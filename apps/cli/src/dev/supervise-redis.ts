import type { RedisServer } from '@switchyard/redis-server';
import { RestartPolicy } from './restart-policy';

/**
 * Keeps `npm start`'s embedded Redis running: a crash is reported and followed by a restart on
 * the same port from the same directory, so it comes back with what its AOF holds and every app
 * reconnects by itself (the API answers 503 meanwhile). Returns a function that stops watching.
 */
export function superviseRedis(redis: RedisServer, notice: (message: string) => void): () => void {
  const policy = new RestartPolicy();
  policy.started(Date.now());
  let watching = true;
  let timer: NodeJS.Timeout | undefined;
  const restartAfterCrash = (why: string) => {
    const delay = policy.nextDelay(Date.now());
    notice(`redis-server ${why}; restarting it from its AOF in ${delay / 1_000} s`);
    timer = setTimeout(() => {
      if (!watching) return;
      policy.started(Date.now());
      redis.restart().then(
        () => notice('redis-server is back'),
        (error: unknown) => {
          notice((error as Error).message);
          if (watching) restartAfterCrash('failed to restart');
        },
      );
    }, delay);
  };
  redis.onCrash((code, signal) => {
    if (watching) restartAfterCrash(`exited unexpectedly (${signal ?? code})`);
  });
  return () => {
    watching = false;
    clearTimeout(timer);
  };
}
