import { parentPort, workerData } from 'node:worker_threads';
import { startSimulator } from '@switchyard/simulator';

/**
 * The simulator on a thread of its own, so it keeps its own event loop (its keep-alive timers,
 * its closes) while the test's thread is stalled. Messages: `{ disconnected }` → sets
 * `workerData.flag[0]` to 1 and wakes the waiter once no connection is open; `calls` → the
 * number of completion calls; `close`.
 */
const flag = workerData.flag as Int32Array;

void startSimulator({ keepAliveTimeoutMs: workerData.keepAliveTimeoutMs as number }).then(
  (simulator) => {
    parentPort!.on('message', (message: string) => {
      if (message === 'disconnected') {
        void simulator.disconnected().then(() => {
          Atomics.store(flag, 0, 1);
          Atomics.notify(flag, 0);
        });
      } else if (message === 'calls') {
        parentPort!.postMessage({ calls: simulator.calls().length });
      } else if (message === 'close') {
        void simulator.close().then(() => parentPort!.close());
      }
    });
    parentPort!.postMessage({ url: simulator.url });
  },
);
