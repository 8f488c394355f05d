import { Redis, type RedisOptions } from 'ioredis';

/**
 * ioredis with one bug fixed: `disconnect()` on a client parked in `reconnecting` (a retry timer
 * armed, no socket) cancels the timer but never emits `end`, so anything awaiting `end` waits
 * forever. BullMQ's `Worker.close()` awaits exactly that on its blocking connection, so a worker
 * told to stop during or just after a Redis outage never stopped (taskforcesh/bullmq#4656, fix
 * not yet released). BullMQ duplicates the client it is given for its own connections, hence
 * `duplicate()` keeps the class.
 */
export class ResilientRedis extends Redis {
  override disconnect(reconnect = false): void {
    const parked = this.status === 'reconnecting';
    super.disconnect(reconnect);
    if (parked && !reconnect) {
      (this as unknown as { setStatus(status: string): void }).setStatus('end');
    }
  }

  override duplicate(override?: Partial<RedisOptions>): ResilientRedis {
    return new ResilientRedis({ ...this.options, ...override });
  }
}
