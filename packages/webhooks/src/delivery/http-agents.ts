import http from 'node:http';
import https from 'node:https';

/**
 * How long a pooled socket may sit idle before we close it. Below the 5 s keep-alive timeout of
 * Node servers (and many proxies), so we rarely write into a socket the receiver is closing,
 * which would surface as a spurious ECONNRESET.
 *
 * @defaultValue 4_000
 */
export const IDLE_SOCKET_TIMEOUT_MS = 4_000;

type Protocol = 'http:' | 'https:';

const agents = new Map<string, http.Agent>();

/**
 * The process-wide keep-alive agent for one scheme and SSRF mode. Reusing connections matters:
 * a fresh TCP (+TLS) handshake per delivery costs more than the delivery itself.
 *
 * Pools are split by `allowPrivate` because an agent keys its free sockets by host and port
 * only: a socket opened without the public-address check must never serve a delivery that
 * requires it.
 */
export function webhookAgent(protocol: Protocol, allowPrivate: boolean): http.Agent {
  const key = `${protocol}${allowPrivate ? 'private' : 'public'}`;
  let agent = agents.get(key);
  if (agent === undefined) {
    const options: http.AgentOptions = {
      keepAlive: true,
      // Node destroys a *free* socket on this timeout; busy ones are bounded by our deadline.
      timeout: IDLE_SOCKET_TIMEOUT_MS,
      scheduling: 'lifo',
    };
    agent = protocol === 'https:' ? new https.Agent(options) : new http.Agent(options);
    agents.set(key, agent);
  }
  return agent;
}

/** Closes every pooled socket, for graceful shutdown; agents are recreated on next use. */
export function destroyWebhookAgents(): void {
  for (const agent of agents.values()) agent.destroy();
  agents.clear();
}
