import { Router } from 'express';
import type { ApiDeps } from '../api-deps';
import { requireScope } from '../http/authenticate';
import { usageRequest } from '../http/usage-query';
import { usageReport } from '../services/usage-report';

/** `GET /v1/usage`: the key's tenant's usage, per model or per day. */
export function usageRoutes(deps: ApiDeps): Router {
  const router = Router();

  router.get('/v1/usage', requireScope('usage:read'), async (req, res) => {
    const request = usageRequest(req.query, new Date());
    res.json(await usageReport(deps, res.locals.principal.tenantId, request));
  });

  return router;
}
