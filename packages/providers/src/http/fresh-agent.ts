import { Agent as HttpAgent, type AgentOptions } from 'node:http';
import { Agent as HttpsAgent } from 'node:https';
import type { Socket } from 'node:net';

/**
 * How long before a server's announced keep-alive timeout a pooled connection stops being
 * reused: the margin Node's own agent keeps (`HTTP_AGENT_KEEP_ALIVE_TIMEOUT_BUFFER`).
 */
export const KEEP_ALIVE_MARGIN_MS = 1_000;

/** The longest a pooled connection is reused after when its server announced no timeout. */
export const UNANNOUNCED_MAX_IDLE_MS = 4_000;

/** When a pooled socket went idle, and for how long after that its server still keeps it. */
interface Idle {
  since: number;
  maxIdleMs: number;
}

/**
 * Node's keep-alive agent keeps an idle connection in its pool until it reads the server's FIN:
 * it sets no idle timer of its own (the server's `Keep-Alive: timeout` hint only shortens an
 * agent `timeout`, which ours has not). Reading the FIN takes a turn of the event loop: if the
 * process is busy or starved (a loaded machine, a long GC) when the server's keep-alive timeout
 * closes the connection, the FIN sits unread in the kernel, and the agent hands the dead socket
 * to the next request, which fails with `ECONNRESET` ("socket hang up") without ever reaching
 * the server. These agents check the wall clock right before a request is made: a pooled
 * connection idle for longer than its server keeps it is closed, and the request gets a fresh
 * one.
 */
export interface FreshAgent {
  agent: HttpAgent;
  /** Closes the pooled connections whose server may have closed them by now. */
  dropStale(now?: number): void;
}

const idleSockets = new WeakMap<Socket, Idle>();

function freshAgent(agent: HttpAgent): FreshAgent {
  return {
    agent,
    dropStale(now = Date.now()) {
      // One pool per origin: as many as the providers configured.
      for (const free of Object.values(agent.freeSockets)) {
        // A pool is in the order its sockets went idle, so the stale ones come first, and the
        // agent skips destroyed sockets at the front of a pool.
        for (const socket of free ?? []) {
          const idle = idleSockets.get(socket);
          if (!idle || now - idle.since < idle.maxIdleMs) break;
          socket.destroy();
        }
      }
    },
  };
}

/** How long the server of `socket`'s last response keeps an idle connection, less the margin. */
function maxIdleMs(socket: Socket): number {
  const hint = (
    socket as Socket & { _httpMessage?: { res?: { headers: Record<string, unknown> } } }
  )._httpMessage?.res?.headers['keep-alive'];
  const seconds = typeof hint === 'string' ? /(?:^|[\s,])timeout=(\d+)/.exec(hint)?.[1] : undefined;
  if (seconds === undefined) return UNANNOUNCED_MAX_IDLE_MS;
  return Number(seconds) * 1_000 - KEEP_ALIVE_MARGIN_MS;
}

class IdleDatingHttpAgent extends HttpAgent {
  override keepSocketAlive(socket: Socket): void {
    idleSockets.set(socket, { since: Date.now(), maxIdleMs: maxIdleMs(socket) });
    return super.keepSocketAlive(socket);
  }
}

class IdleDatingHttpsAgent extends HttpsAgent {
  override keepSocketAlive(socket: Socket): void {
    idleSockets.set(socket, { since: Date.now(), maxIdleMs: maxIdleMs(socket) });
    return super.keepSocketAlive(socket);
  }
}

export function freshHttpAgent(options: AgentOptions): FreshAgent {
  return freshAgent(new IdleDatingHttpAgent(options));
}

export function freshHttpsAgent(options: AgentOptions): FreshAgent {
  return freshAgent(new IdleDatingHttpsAgent(options));
}
