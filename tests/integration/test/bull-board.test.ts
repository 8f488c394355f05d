import { randomBytes } from 'node:crypto';
import type { AddressInfo } from 'node:net';
import { BOARD_PATH, boardQueues, bullBoard, startApiServer } from '@switchyard/api';
import { createLogger } from '@switchyard/observability';
import type { Job } from '@switchyard/core';
import { SwitchyardClient } from '@switchyard/sdk';
import express from 'express';
import { http, queueItemEvent, type Stack, startStack, type TenantHandle } from '../src';
import { WebhookReceiver } from '../src/webhook-receiver';

// Bull Board at /admin/queues: who gets in (401 with a Basic challenge, 403), what the viewer may
// not do (refused by our guard, and by bull-board's own read-only mode behind it), what an admin
// can do, and that no secret shows in what the board serves.

const CHALLENGE = 'Basic realm="Switchyard", charset="UTF-8"';
const QUEUES = ['jobs-interactive', 'jobs-batch', 'job-deadlines', 'webhooks'];

let stack: Stack;
let receiver: WebhookReceiver;
let tenant: TenantHandle;
let webhookSecret: string;
let hookedOutput: string;
/** The failed job of the lane `jobs-interactive`, its item in the failed set. */
let failed: Job;
/** A job with a deadline an hour away: its item waits in `job-deadlines`' delayed set. */
let withDeadline: Job;
/** Secrets in the webhook URL of a job: the query token and a capability in the path. */
const urlToken = `tok${randomBytes(12).toString('hex')}`;
const pathSecret = `cap${randomBytes(12).toString('hex')}`;
/** The password of a legacy queue item's URL (from before the API refused credentials in URLs). */
const urlPassword = `pw${randomBytes(12).toString('hex')}`;

const url = (path: string) => `${stack.api.url}${path}`;
const basic = (user: string, password: string) => ({
  Authorization: `Basic ${Buffer.from(`${user}:${password}`).toString('base64')}`,
});
const asAdmin = (path: string, options: { method?: string; body?: object } = {}) =>
  http(url(path), { ...options, token: stack.adminToken });
const asViewer = (path: string, options: { method?: string; body?: object } = {}) =>
  http(url(path), { ...options, token: stack.viewerToken! });
const ask = (content: string) => ({
  model: 'openai/gpt-4o-mini',
  input: { messages: [{ role: 'user' as const, content }] },
});

beforeAll(async () => {
  receiver = await WebhookReceiver.start();
  stack = await startStack({
    viewer: true,
    dispatcher: true,
    allowPrivateWebhooks: true,
    // A failed delivery's retry stays parked in the delayed set for the whole file.
    config: { webhooks: { retry_schedule: [3_600_000] } },
  });
  const created = await stack.admin.createTenant('board');
  webhookSecret = created.webhook_secret;
  const apiKey = created.api_key.key;
  tenant = {
    id: created.tenant.id,
    apiKey,
    client: new SwitchyardClient({ baseUrl: stack.api.url, apiKey }),
  };

  const ok = await tenant.client.submit(ask('Hello board'));
  const bad = await tenant.client.submit(ask('Refused [[sim: fault=400]]'));
  const deadline = await tenant.client.submit({ ...ask('With a deadline'), cancel_after: '1h' });
  // https to a plain HTTP receiver: the TLS handshake fails, so the first attempt fails and its
  // retry waits in the delayed set; both items carry the URL.
  const port = new URL(receiver.url).port;
  const hooked = await tenant.client.submit({
    ...ask('With a webhook'),
    webhook: `https://127.0.0.1:${port}/hooks/${pathSecret}?token=${urlToken}`,
  });
  failed = await tenant.client.waitFor(bad.job.id);
  withDeadline = await tenant.client.waitFor(deadline.job.id);
  const [, hookedDone] = await Promise.all([
    tenant.client.waitFor(ok.job.id),
    tenant.client.waitFor(hooked.job.id),
  ]);
  hookedOutput = hookedDone.output!.text;
  // What BullMQ itself says, not the job store, which ends a job a moment before its item.
  const lane = 'jobs-interactive';
  await Promise.all(
    [ok.job.id, deadline.job.id, hooked.job.id].map((id) =>
      queueItemEvent(stack, lane, 'completed', (item) => item === id),
    ),
  );
  await queueItemEvent(stack, lane, 'failed', (item) => item === failed.id);
  await queueItemEvent(stack, 'webhooks', 'completed');

  // An item as an older version could have written it, before submit refused credentials in
  // webhook URLs; the board must hide them all the same. Delayed an hour, so nobody sends it.
  await stack.api.deps.queues.webhooks.add(
    'deliver',
    {
      deliveries: [
        {
          event: { id: 'msg_legacy', type: 'job.succeeded', job_id: ok.job.id, at: Date.now() },
          tenant_id: tenant.id,
          url: `https://hooks:${urlPassword}@127.0.0.1:${port}/legacy?token=${urlToken}`,
          body: '{}',
          attempt: 1,
        },
      ],
    },
    { jobId: 'msg_legacy.1', delay: 3_600_000 },
  );
});
afterAll(async () => {
  await stack.close();
  await receiver.close();
});

describe('who gets in', () => {
  const paths = [
    BOARD_PATH,
    `${BOARD_PATH}/`,
    `${BOARD_PATH}/queue/jobs-interactive`,
    `${BOARD_PATH}/api/queues`,
    '/admin/tenants',
    '/metrics',
  ];

  test('no credential, or a wrong one: 401 with the Basic challenge and the JSON error', async () => {
    const wrong = [
      {},
      { Authorization: 'Bearer not-the-token-at-all' },
      basic('admin', 'not-the-token-at-all'),
      basic('viewer', 'not-the-token-at-all'),
      basic('root', stack.adminToken),
    ];
    for (const path of paths) {
      for (const headers of wrong) {
        const response = await http(url(path), { headers });
        expect([path, response.status, response.headers.get('www-authenticate')]).toEqual([
          path,
          401,
          CHALLENGE,
        ]);
        expect(response.body).toEqual({
          error: {
            type: 'authentication_error',
            message:
              'Missing or invalid operator token. Send "Authorization: Bearer <token>", or the ' +
              'token as the HTTP Basic password of the user "admin".',
            request_id: response.headers.get('x-request-id'),
          },
        });
      }
    }
  });

  test('a tenant API key is a credential without the right: 403, no challenge', async () => {
    for (const path of paths) {
      const response = await http(url(path), { token: tenant.apiKey });
      expect([path, response.status, response.headers.get('www-authenticate')]).toEqual([
        path,
        403,
        null,
      ]);
      expect(response.body.error.type).toBe('permission_denied');
    }
  });

  test('the admin token, as bearer or as Basic password, opens the page and its API', async () => {
    for (const headers of [
      { Authorization: `Bearer ${stack.adminToken}` },
      basic('admin', stack.adminToken),
    ]) {
      const page = await http(url(BOARD_PATH), { headers });
      expect(page.status).toBe(200);
      expect(page.headers.get('content-type')).toBe('text/html; charset=utf-8');
      expect(page.body).toContain(`<base href="${BOARD_PATH}/" />`);
      const api = await http(url(`${BOARD_PATH}/api/queues`), { headers });
      expect(api.status).toBe(200);
      expect(api.body.queues.map((q: { name: string }) => q.name)).toEqual(QUEUES);
    }
  });

  test("the page's static files load with the credential, and ask for it without", async () => {
    const page = await asAdmin(BOARD_PATH);
    const assets = [...(page.body as string).matchAll(/(?:src|href)="(static\/[^"]+)"/g)].map(
      (m) => m[1]!,
    );
    expect(assets.length).toBeGreaterThanOrEqual(4);
    for (const asset of assets) {
      const path = `${BOARD_PATH}/${asset}`;
      expect([asset, (await asAdmin(path)).status]).toEqual([asset, 200]);
      expect([asset, (await asViewer(path)).status]).toEqual([asset, 200]);
      const anonymous = await http(url(path));
      expect([asset, anonymous.status, anonymous.headers.get('www-authenticate')]).toEqual([
        asset,
        401,
        CHALLENGE,
      ]);
    }
  });

  test('the viewer token: the board and /metrics, but never tenants or keys', async () => {
    for (const headers of [
      { Authorization: `Bearer ${stack.viewerToken}` },
      basic('viewer', stack.viewerToken!),
      basic('admin', stack.viewerToken!),
    ]) {
      expect((await http(url(BOARD_PATH), { headers })).status).toBe(200);
      expect((await http(url(`${BOARD_PATH}/api/queues`), { headers })).status).toBe(200);
      expect((await http(url('/metrics'), { headers })).status).toBe(200);
      const tenants = await http(url('/admin/tenants'), { headers });
      expect(tenants.status).toBe(403);
      expect(tenants.body.error).toMatchObject({
        type: 'permission_denied',
        message: 'The viewer token cannot use this route; it needs the admin token.',
      });
    }
    const refused = [
      await asViewer('/admin/tenants', { body: { name: 'sneaky' } }),
      await asViewer(`/admin/tenants/${tenant.id}`),
      await asViewer(`/admin/tenants/${tenant.id}/keys`, { body: {} }),
      await asViewer(`/admin/keys/${tenant.apiKey.slice(0, 12)}`, { method: 'DELETE' }),
    ];
    expect(refused.map((r) => r.status)).toEqual([403, 403, 403, 403]);
    expect(
      (await asAdmin('/admin/tenants')).body.data.map((t: { name: string }) => t.name),
    ).toEqual(['board']);
  });

  test('a viewer token equal to the admin token stops start-up: it would quietly be an admin', async () => {
    const start = startApiServer({
      settings: stack.settings,
      redisUrl: stack.redis.url,
      adminToken: stack.adminToken,
      viewerToken: stack.adminToken,
      logger: createLogger('test', 'silent'),
      port: 0,
    });
    await expect(start).rejects.toThrow(
      'SWITCHYARD_VIEWER_TOKEN: must differ from SWITCHYARD_ADMIN_TOKEN',
    );
  });

  test('unknown paths under the board are 404 in the contract shape', async () => {
    const response = await asViewer(`${BOARD_PATH}/api/nothing-here`);
    expect(response.status).toBe(404);
    expect(response.body.error).toMatchObject({
      type: 'not_found',
      message: `No route GET ${BOARD_PATH}/api/nothing-here.`,
    });
  });
});

describe('what the board shows', () => {
  test('every queue, with its display name and exact counts', async () => {
    const { body } = await asAdmin(`${BOARD_PATH}/api/queues`);
    const byName = new Map<string, any>(body.queues.map((q: { name: string }) => [q.name, q]));
    expect(body.queues.map((q: any) => [q.name, q.displayName, q.readOnlyMode])).toEqual([
      ['jobs-interactive', 'Interactive jobs', false],
      ['jobs-batch', 'Batch jobs', false],
      ['job-deadlines', 'Deadlines', false],
      ['webhooks', 'Webhooks', false],
    ]);
    const busy = { active: 0, waiting: 0, prioritized: 0, 'waiting-children': 0 };
    expect(byName.get('jobs-interactive').counts).toMatchObject({
      ...busy,
      completed: 3,
      failed: 1,
      delayed: 0,
    });
    expect(byName.get('jobs-batch').counts).toMatchObject({
      ...busy,
      completed: 0,
      failed: 0,
      delayed: 0,
    });
    expect(byName.get('job-deadlines').counts).toMatchObject({
      ...busy,
      completed: 0,
      failed: 0,
      delayed: 1,
    });
    // The first attempt (done), its retry and the legacy item (both waiting an hour).
    expect(byName.get('webhooks').counts).toMatchObject({
      ...busy,
      completed: 1,
      failed: 0,
      delayed: 2,
    });
  });

  test("a failed item shows the job's error as its failure reason", async () => {
    const { status, body } = await asViewer(
      `${BOARD_PATH}/api/queues/jobs-interactive/${failed.id}`,
    );
    expect(status).toBe(200);
    expect(body.status).toBe('failed');
    expect(body.job).toMatchObject({
      id: failed.id,
      data: { jobId: failed.id, tenantId: tenant.id },
      // The error's type and status, not its text (a provider's words, which may quote the prompt).
      failedReason: 'invalid_request (HTTP 400): see the job record',
    });
    expect(JSON.stringify(body)).not.toContain(failed.error!.message);
  });

  test('no secret in anything the board serves; webhook URLs show up to the host', async () => {
    const port = new URL(receiver.url).port;
    const texts: string[] = [(await asAdmin(BOARD_PATH)).body as string];
    for (const queue of QUEUES) {
      const list = await asAdmin(
        `${BOARD_PATH}/api/queues?activeQueue=${queue}&status=latest&page=1&jobsPerPage=50`,
      );
      texts.push(JSON.stringify(list.body));
      const active = list.body.queues.find((q: { name: string }) => q.name === queue);
      for (const item of active.jobs as Array<{ id: string }>) {
        for (const suffix of ['', '/logs']) {
          const detail = await asAdmin(`${BOARD_PATH}/api/queues/${queue}/${item.id}${suffix}`);
          expect(detail.status).toBe(200);
          texts.push(JSON.stringify(detail.body));
        }
      }
    }
    const served = texts.join('\n');
    // The items are there, so the absence below means something.
    const deliveries = (served.match(/"url":"[^"]*"/g) ?? []).sort();
    expect(deliveries).toEqual([...Array(6).fill(`"url":"https://127.0.0.1:${port}/[redacted]"`)]);
    expect(served).toContain('"failedReason":"invalid_request (HTTP 400): see the job record"');
    for (const secret of [
      tenant.apiKey,
      webhookSecret,
      webhookSecret.replace(/^whsec_/, ''),
      stack.adminToken,
      stack.viewerToken!,
      urlPassword,
      urlToken,
      pathSecret,
    ]) {
      expect(served).not.toContain(secret);
    }
    // Nor the jobs' text: a webhook item's body (the job as delivered) is reduced to its size.
    expect(served).not.toContain(hookedOutput);
    expect(served).toMatch(/"body":"\[\d+ bytes of job data, not shown\]"/);
  });

  test('the API refuses credentials in a webhook URL in the first place', async () => {
    const response = await http(url('/v1/jobs'), {
      token: tenant.apiKey,
      body: { ...ask('x'), webhook: `https://user:${urlPassword}@example.com/hook` },
    });
    expect(response.status).toBe(400);
    expect(JSON.stringify(response.body)).not.toContain(urlPassword);
  });
});

/** Every write the board's API offers, against the items set up above. */
function writes(): Array<[method: string, path: string, body?: object]> {
  const q = `${BOARD_PATH}/api/queues`;
  return [
    ['PUT', `${q}/jobs-interactive/${failed.id}/retry`],
    ['PUT', `${q}/jobs-interactive/retry/failed`],
    ['PUT', `${q}/jobs-interactive/clean/failed`],
    ['PUT', `${q}/jobs-interactive/${failed.id}/clean`],
    ['PUT', `${q}/jobs-interactive/pause`],
    ['PUT', `${q}/jobs-interactive/resume`],
    ['PUT', `${q}/job-deadlines/promote`],
    ['PUT', `${q}/job-deadlines/${withDeadline.id}/promote`],
    ['PUT', `${q}/jobs-interactive/empty`],
    ['PUT', `${q}/jobs-interactive/obliterate`, { force: true }],
    ['PUT', `${q}/jobs-interactive/concurrency`, { concurrency: 1 }],
    ['POST', `${q}/jobs-interactive/add`, { name: 'run', data: {}, options: {} }],
    ['PATCH', `${q}/jobs-interactive/${failed.id}/update-data`, { jobData: {} }],
    ['PATCH', `${q}/job-deadlines/${withDeadline.id}/delay`, { runAt: Date.now() }],
    ['PATCH', `${q}/job-deadlines/${withDeadline.id}/priority`, { priority: 1 }],
  ];
}

/** The state every refused write must leave untouched. */
async function snapshot() {
  const { interactive, deadlines } = stack.api.deps.queues;
  return {
    failedState: await interactive.getJobState(failed.id),
    deadlineState: await deadlines.getJobState(withDeadline.id),
    paused: [await interactive.isPaused(), await deadlines.isPaused()],
    counts: await interactive.getJobCounts(),
  };
}

describe('the viewer is read-only', () => {
  test('its board says so for every queue, and allows no retries', async () => {
    const { body } = await asViewer(`${BOARD_PATH}/api/queues`);
    expect(body.queues.map((q: any) => [q.name, q.readOnlyMode, q.allowRetries])).toEqual(
      QUEUES.map((name) => [name, true, false]),
    );
  });

  test('every write (retry, clean, pause, promote, remove, ...) is 403, and nothing changes', async () => {
    const before = await snapshot();
    expect(before).toMatchObject({
      failedState: 'failed',
      deadlineState: 'delayed',
      paused: [false, false],
    });
    for (const [method, path, body] of [
      ...writes(),
      ['PUT', `${BOARD_PATH}/api/queues/pause`],
      ['PUT', `${BOARD_PATH}/api/queues/resume`],
      ['DELETE', `${BOARD_PATH}/api/queues/jobs-interactive/${failed.id}`],
    ] as const) {
      const response = await asViewer(path, { method, body: body ?? {} });
      expect([method, path, response.status, response.body.error]).toEqual([
        method,
        path,
        403,
        {
          type: 'permission_denied',
          message: 'The viewer token is read-only.',
          request_id: response.headers.get('x-request-id'),
        },
      ]);
    }
    expect(await snapshot()).toEqual(before);
  });

  test("behind our guard, bull-board's own read-only mode refuses the writes too", async () => {
    // The viewer's board with nothing of ours in front of it: the second layer on its own.
    const bare = express().use(BOARD_PATH, bullBoard(boardQueues(stack.api.deps.queues), 'viewer'));
    const server = bare.listen(0, '127.0.0.1');
    await new Promise((resolve) => server.once('listening', resolve));
    const base = `http://127.0.0.1:${(server.address() as AddressInfo).port}`;
    try {
      const before = await snapshot();
      for (const [method, path, body] of writes()) {
        const response = await http(`${base}${path}`, { method, body: body ?? {} });
        expect([method, path, response.status, response.body]).toEqual([
          method,
          path,
          405,
          { error: { key: 'ERRORS.QUEUE_READ_ONLY' } },
        ]);
      }
      // Pause-all and resume-all skip read-only queues and answer 200: nothing paused, but no
      // refusal either, which is why our guard refuses every write of the viewer first.
      for (const path of ['/api/queues/pause', '/api/queues/resume']) {
        const response = await http(`${base}${BOARD_PATH}${path}`, { method: 'PUT', body: {} });
        expect([path, response.status]).toEqual([path, 200]);
      }
      expect(await snapshot()).toEqual(before);
      expect((await http(`${base}${BOARD_PATH}/api/queues`)).status).toBe(200);
    } finally {
      server.closeAllConnections();
      await new Promise((resolve) => server.close(resolve));
    }
  });
});

describe('the admin', () => {
  test('retries a failed item through the board: it leaves the failed set', async () => {
    const { job } = await tenant.client.submit(ask('Refused again [[sim: fault=400]]'));
    await queueItemEvent(stack, 'jobs-interactive', 'failed', (item) => item === job.id);
    const { interactive } = stack.api.deps.queues;
    // This one and the one set up for the whole file.
    expect(await interactive.getJobCounts('failed')).toEqual({ failed: 2 });

    const retry = await asAdmin(`${BOARD_PATH}/api/queues/jobs-interactive/${job.id}/retry`, {
      method: 'PUT',
    });
    expect(retry.status).toBe(204);
    // The worker runs the item again; the job store says the job already ended, so the run
    // does nothing and the item completes. The job itself stays failed: the store is the truth.
    await queueItemEvent(stack, 'jobs-interactive', 'completed', (item) => item === job.id);
    expect(await interactive.getJobState(job.id)).toBe('completed');
    expect(await interactive.getJobCounts('failed')).toEqual({ failed: 1 });
    expect((await tenant.client.get(job.id)).status).toBe('failed');
  });

  test('may not strand work: empty, obliterate, clean or remove unfinished items, set delays, fire deadlines', async () => {
    const api = `${BOARD_PATH}/api/queues`;
    const { deadlines, webhooks } = stack.api.deps.queues;
    // Unfinished items to point at: the deadline still waiting for its hour, the webhook retry.
    expect(await deadlines.getJobState(withDeadline.id)).toBe('delayed');
    expect(await webhooks.getJobState('msg_legacy.1')).toBe('delayed');
    const before = await Promise.all([deadlines.getJobCounts(), webhooks.getJobCounts()]);
    const attempts: Array<[string, string]> = [
      ['PUT', `${api}/jobs-interactive/empty`],
      ['PUT', `${api}/job-deadlines/obliterate`],
      ['PUT', `${api}/webhooks/clean/delayed`],
      ['PUT', `${api}/job-deadlines/clean/wait`],
      ['PUT', `${api}/job-deadlines/${withDeadline.id}/clean`],
      ['PUT', `${api}/webhooks/msg_legacy.1/clean`],
      ['PATCH', `${api}/webhooks/msg_legacy.1/delay`],
      ['PUT', `${api}/job-deadlines/promote`],
      ['PUT', `${api}/job-deadlines/${withDeadline.id}/promote`],
    ];
    for (const [method, path] of attempts) {
      const response = await asAdmin(path, { method, body: { delay: 1 } });
      expect([path, response.status]).toEqual([path, 403]);
    }
    expect(await Promise.all([deadlines.getJobCounts(), webhooks.getJobCounts()])).toEqual(before);
    expect((await tenant.client.get(withDeadline.id)).status).toBe(withDeadline.status);

    // Finished items are the board's to remove: the job store keeps what happened.
    const { interactive } = stack.api.deps.queues;
    expect(await interactive.getJobState(withDeadline.id)).toBe('completed');
    const removed = await asAdmin(`${api}/jobs-interactive/${withDeadline.id}/clean`, {
      method: 'PUT',
    });
    expect(removed.status).toBe(204);
    expect(await interactive.getJobState(withDeadline.id)).toBe('unknown');
  });

  test('may not add items or edit their data: items are written by Switchyard only', async () => {
    const q = `${BOARD_PATH}/api/queues/jobs-interactive`;
    const add = await asAdmin(`${q}/add`, { body: { name: 'run', data: {}, options: {} } });
    const edit = await asAdmin(`${q}/${failed.id}/update-data`, {
      method: 'PATCH',
      body: { jobData: { jobId: 'other' } },
    });
    for (const response of [add, edit]) {
      expect([response.status, response.body.error.message]).toEqual([
        403,
        'Queue items are written by Switchyard only; use the job API.',
      ]);
    }
    expect((await stack.api.deps.queues.interactive.getJob(failed.id))!.data).toEqual({
      jobId: failed.id,
      tenantId: tenant.id,
    });
  });
});
