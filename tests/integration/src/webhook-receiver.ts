import {
  createServer,
  type IncomingHttpHeaders,
  type Server,
  type ServerResponse,
} from 'node:http';
import type { AddressInfo } from 'node:net';

export interface ReceivedWebhook {
  at: number;
  headers: IncomingHttpHeaders;
  body: string;
}

/** How the receiver answers one request (default 204). */
export type Answer = (res: ServerResponse, index: number) => void;

/**
 * A real HTTP receiver on loopback: records every request, answers as the test says, and lets a
 * test await the n-th request instead of sleeping.
 */
export class WebhookReceiver {
  readonly received: ReceivedWebhook[] = [];
  answer: Answer = (res) => res.writeHead(204).end();
  private waiters: Array<{ count: number; wake: () => void }> = [];

  private constructor(
    private readonly server: Server,
    readonly url: string,
  ) {}

  /** Listens on `port` (0: a free one), on loopback. */
  static async start(port = 0): Promise<WebhookReceiver> {
    const holder: { receiver?: WebhookReceiver } = {};
    const server = createServer((req, res) => {
      const receiver = holder.receiver!;
      let body = '';
      req.on('data', (chunk: Buffer) => (body += chunk.toString()));
      req.on('end', () => {
        receiver.received.push({ at: Date.now(), headers: req.headers, body });
        receiver.answer(res, receiver.received.length - 1);
        for (const waiter of receiver.waiters.filter((w) => receiver.received.length >= w.count)) {
          waiter.wake();
        }
      });
    });
    await new Promise<void>((resolve) => server.listen(port, '127.0.0.1', resolve));
    const bound = (server.address() as AddressInfo).port;
    holder.receiver = new WebhookReceiver(server, `http://127.0.0.1:${bound}/hooks`);
    return holder.receiver;
  }

  /** Resolves once `count` requests in all have arrived. */
  requests(count: number): Promise<ReceivedWebhook[]> {
    if (this.received.length >= count) return Promise.resolve(this.received.slice(0, count));
    return new Promise((resolve) =>
      this.waiters.push({ count, wake: () => resolve(this.received.slice(0, count)) }),
    );
  }

  reset(answer?: Answer): void {
    this.received.length = 0;
    this.waiters = [];
    this.answer = answer ?? ((res) => res.writeHead(204).end());
  }

  close(): Promise<void> {
    this.server.closeAllConnections();
    return new Promise((resolve) => this.server.close(() => resolve()));
  }
}
