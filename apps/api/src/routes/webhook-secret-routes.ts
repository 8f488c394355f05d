import type { WebhookSecretView } from '@switchyard/core';
import type { WebhookSecret } from '@switchyard/tenancy';
import { Router } from 'express';
import type { ApiDeps } from '../api-deps';
import { requireScope } from '../http/authenticate';

/** The current secret in full; older ones still signing, by their dates only. */
function view(secrets: WebhookSecret[]): WebhookSecretView {
  const [current, ...previous] = secrets;
  return {
    object: 'webhook_secret',
    secret: current!.secret,
    created_at: current!.created_at,
    previous: previous.map(({ created_at, expires_at }) => ({
      created_at,
      expires_at: expires_at!,
    })),
  };
}

/** `GET /v1/webhook-secret` and `POST /v1/webhook-secret/rotate` (scope `webhooks:manage`). */
export function webhookSecretRoutes(deps: ApiDeps): Router {
  const router = Router();
  router.get('/v1/webhook-secret', requireScope('webhooks:manage'), async (_req, res) => {
    const tenantId = res.locals.principal.tenantId;
    let secrets = await deps.webhookSecrets.active(tenantId);
    // A tenant whose secrets were never made (or all lapsed) gets one on first read.
    if (!secrets.length) {
      await deps.webhookSecrets.create(tenantId);
      secrets = await deps.webhookSecrets.active(tenantId);
    }
    res.json(view(secrets));
  });
  router.post('/v1/webhook-secret/rotate', requireScope('webhooks:manage'), async (_req, res) => {
    const tenantId = res.locals.principal.tenantId;
    await deps.webhookSecrets.rotate(tenantId);
    res.json(view(await deps.webhookSecrets.active(tenantId)));
  });
  return router;
}
