import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import express, { Router } from 'express';
import { routerRoutes } from '../src/openapi/router-routes';

let staticDir: string;
beforeAll(() => {
  staticDir = mkdtempSync(join(tmpdir(), 'router-routes-'));
});
afterAll(() => rmSync(staticDir, { recursive: true, force: true }));

const noop: express.RequestHandler = (_req, res) => {
  res.end();
};

test('lists routes of nested routers with their mount paths, static areas, in mount order', () => {
  const app = express();
  const jobs = Router();
  jobs.post('/v1/jobs', noop);
  jobs.get(['/v1/jobs/:id', '/v1/tasks/:id'], noop);
  const admin = Router();
  admin.route('/tenants/:id').get(noop).patch(noop);
  const nested = Router();
  nested.delete('/keys/:key_prefix', noop);
  admin.use('/more', nested);
  app.use((_req, _res, next) => next()); // middleware: no route
  app.use(jobs);
  app.use('/admin', admin);
  app.use('/docs/assets', express.static(staticDir));

  expect(routerRoutes(app.router)).toEqual([
    { method: 'POST', path: '/v1/jobs' },
    { method: 'GET', path: '/v1/jobs/:id' },
    { method: 'GET', path: '/v1/tasks/:id' },
    { method: 'GET', path: '/admin/tenants/:id' },
    { method: 'PATCH', path: '/admin/tenants/:id' },
    { method: 'DELETE', path: '/admin/more/keys/:key_prefix' },
    { method: 'GET', path: '/docs/assets/:file' },
  ]);
});

test('an express app mounted inside is not entered; walked on its own with its prefix', () => {
  const board = express();
  board.get('/api/queues', noop);
  const app = express();
  app.get('/healthz', noop);
  app.use('/admin/queues', board);

  expect(routerRoutes(app.router)).toEqual([{ method: 'GET', path: '/healthz' }]);
  expect(routerRoutes(board.router, '/admin/queues')).toEqual([
    { method: 'GET', path: '/admin/queues/api/queues' },
  ]);
});
