import { hashJson } from '@switchyard/core';
import type { ProviderRequest } from '../types';

/** What identifies one cacheable provider call. */
export interface CacheKeyInput {
  /** The model as `provider/model`; it names the model, so `request.model` is not keyed twice. */
  target: string;
  request: ProviderRequest;
  /** The tenant the answer is scoped to unless `shared` is set. */
  tenantId: string;
  /**
   * Share the entry across tenants. Off by default: a prompt can carry a tenant's data, and a
   * cross-tenant hit would tell one tenant what another asked.
   * @defaultValue false
   */
  shared?: boolean;
}

/**
 * The exact-match cache key of a request: hex SHA-256 of the canonical JSON of everything that
 * shapes the answer. Canonical JSON sorts keys and drops undefined values, so key order and
 * `{ temperature: undefined }` versus `{}` do not change the key.
 */
export function cacheKey({ target, request, tenantId, shared = false }: CacheKeyInput): string {
  return hashJson({
    // Bump when the keyed fields change, so old entries are never read with a new meaning.
    v: 1,
    // Objects rather than a bare string, so no tenant ID can collide with the shared scope.
    scope: shared ? { shared: true } : { tenant: tenantId },
    target,
    messages: request.messages,
    params: {
      max_tokens: request.maxTokens,
      temperature: request.temperature,
      top_p: request.topP,
      stop: request.stop,
    },
  });
}
