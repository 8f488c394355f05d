import { ApiKeyCreate, NotFoundError, quoted, TenantCreate, TenantUpdate } from '@switchyard/core';
import { Router } from 'express';
import type { ApiDeps } from '../api-deps';
import { parseOrThrow } from '../http/validate';

/** `/admin/*` tenant and key management (the admin token is checked by the caller). */
export function adminRoutes(deps: ApiDeps): Router {
  const router = Router();
  const { tenants } = deps;

  router.post('/admin/tenants', async (req, res) => {
    const input = parseOrThrow(TenantCreate, req.body ?? {}, 'body');
    res.status(201).json(await tenants.create(input));
  });

  router.get('/admin/tenants', async (_req, res) => {
    res.json({ object: 'list', data: await tenants.list() });
  });

  router.get('/admin/tenants/:id', async (req, res) => {
    const tenant = await tenants.get(req.params.id);
    if (!tenant) throw new NotFoundError(`No tenant ${quoted(req.params.id)}.`);
    res.json({ ...tenant, api_keys: await tenants.listKeys(tenant.id) });
  });

  router.patch('/admin/tenants/:id', async (req, res) => {
    const change = parseOrThrow(TenantUpdate, req.body ?? {}, 'body');
    const tenant = await tenants.update(req.params.id, change);
    if (!tenant) throw new NotFoundError(`No tenant ${quoted(req.params.id)}.`);
    res.json(tenant);
  });

  router.post('/admin/tenants/:id/keys', async (req, res) => {
    const input = parseOrThrow(ApiKeyCreate, req.body ?? {}, 'body');
    const key = await tenants.createKey(req.params.id, input);
    if (!key) throw new NotFoundError(`No tenant ${quoted(req.params.id)}.`);
    res.status(201).json(key);
  });

  router.delete('/admin/keys/:key_prefix', async (req, res) => {
    if (!(await tenants.revokeKey(req.params.key_prefix))) {
      throw new NotFoundError(`No key with prefix ${quoted(req.params.key_prefix)}.`);
    }
    res.status(204).end();
  });

  return router;
}
