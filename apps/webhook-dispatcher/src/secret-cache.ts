import type { WebhookSecret, WebhookSecrets } from '@switchyard/tenancy';

/** How long a tenant's secrets are reused before they are read again. */
const TTL_MS = 5_000;

/**
 * A tenant's active secrets, read at most every five seconds: a rotation reaches the signatures
 * within that time, while the old secret keeps signing for a day anyway.
 */
export class SecretCache {
  private readonly entries = new Map<string, { at: number; secrets: Promise<WebhookSecret[]> }>();

  constructor(private readonly source: Pick<WebhookSecrets, 'active'>) {}

  active(tenantId: string): Promise<WebhookSecret[]> {
    const now = Date.now();
    const cached = this.entries.get(tenantId);
    if (cached && now - cached.at < TTL_MS) return cached.secrets;
    const secrets = this.source.active(tenantId);
    this.entries.set(tenantId, { at: now, secrets });
    // A failed read is not kept: the next delivery asks again.
    secrets.catch(() => this.entries.delete(tenantId));
    return secrets;
  }
}
