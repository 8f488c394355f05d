import { Gauge, type Registry } from 'prom-client';

/** What the gauge reads of a connection: ioredis's `status`, `ready` once commands can run. */
export interface ConnectionStatus {
  readonly status: string;
}

/**
 * `switchyard_redis_up`: whether the process's main Redis connection is ready, read from it at
 * scrape time. A value set on events could go stale; read when scraped, it is right even while
 * Redis is away, since every `/metrics` answers without Redis. 0 until a connection is watched.
 */
export class RedisUpGauge {
  private connection: ConnectionStatus | undefined;

  constructor(registers: Registry[]) {
    const read = () => (this.connection?.status === 'ready' ? 1 : 0);
    new Gauge({
      name: 'switchyard_redis_up',
      help: "1 while this process's main Redis connection is ready, else 0; read at scrape time.",
      registers,
      collect() {
        this.set(read());
      },
    });
  }

  /** Reports on `connection` (the process's main one) from now on. */
  watch(connection: ConnectionStatus): void {
    this.connection = connection;
  }
}
