import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import type { Job } from '@switchyard/core';
import { queueItemEvent, type Stack, startStack } from '@switchyard/integration-tests';
import type { Page } from 'playwright-core';
import { type BrowserSession, openBrowserSession } from '../src/browser-session';
import { type RecordingProxy, startRecordingProxy } from '../src/recording-proxy';

/**
 * Bull Board in a real browser, as an operator meets it: open the URL, get the login prompt,
 * answer it, look at the queues and at a failed job. Then the same as the viewer, who sees no
 * button that would change anything.
 */
jest.setTimeout(120_000);

const CHALLENGE = 'Basic realm="Switchyard", charset="UTF-8"';
const ARTIFACTS = join(__dirname, '..', 'artifacts');
/** Long enough for a cold Chromium on a busy two-core machine; a wrong page fails after it. */
const UI_TIMEOUT = 30_000;

let stack: Stack;
let proxy: RecordingProxy;
let failed: Job;
const sessions: BrowserSession[] = [];

beforeAll(async () => {
  stack = await startStack({ viewer: true });
  const tenant = await stack.tenant();
  const ask = (content: string) => ({
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user' as const, content }] },
  });
  const ok = await tenant.client.submit(ask('Hello board'));
  const late = await tenant.client.submit({ ...ask('With a deadline'), cancel_after: '1h' });
  const bad = await tenant.client.submit(ask('Refused [[sim: fault=400]]'));
  failed = await tenant.client.waitFor(bad.job.id);
  const lane = 'jobs-interactive';
  await queueItemEvent(stack, lane, 'failed', (item) => item === bad.job.id);
  await queueItemEvent(stack, lane, 'completed', (item) => item === ok.job.id);
  await queueItemEvent(stack, lane, 'completed', (item) => item === late.job.id);
  proxy = await startRecordingProxy(stack.api.url);
});

afterAll(async () => {
  // Sessions a failed test left open: no Chromium may outlive the file.
  await Promise.all(sessions.map((session) => session.close()));
  await proxy?.close();
  await stack?.close();
});

async function session(username: string, password: string): Promise<BrowserSession> {
  const opened = await openBrowserSession(proxy.url, username, password);
  sessions.push(opened);
  return opened;
}

async function closeSession(opened: BrowserSession): Promise<void> {
  sessions.splice(sessions.indexOf(opened), 1);
  await opened.close();
}

/** The queue's card on the overview, by its display name. */
function card(page: Page, displayName: string) {
  return page
    .getByRole('listitem')
    .filter({ has: page.getByRole('link', { name: displayName, exact: true }) });
}

/** What changes a queue or a job: the bulk actions, and the icon buttons on a job's card. */
function writeControls(page: Page) {
  const icon = (name: string) =>
    page.locator(`main button:has(svg.lucide-${name})`).filter({ hasNotText: /\w/ });
  return {
    retryAll: page.getByRole('button', { name: 'Retry all' }),
    cleanAll: page.getByRole('button', { name: 'Clean all' }),
    retry: icon('refresh-cw'),
    duplicate: icon('files'),
    edit: icon('pencil'),
    remove: icon('trash-2'),
  };
}

async function countControls(page: Page): Promise<Record<string, number>> {
  const counts: Record<string, number> = {};
  for (const [name, locator] of Object.entries(writeControls(page))) {
    counts[name] = await locator.count();
  }
  return counts;
}

test('an admin logs in through the prompt, sees the queues with counts, and opens the failed job', async () => {
  const basic = `Basic ${Buffer.from(`admin:${stack.adminToken}`).toString('base64')}`;
  const admin = await session('admin', stack.adminToken);
  const { page } = admin;
  proxy.exchanges.length = 0;

  const response = await page.goto(`${proxy.url}/admin/queues`);
  expect(response!.status()).toBe(200);
  // On the wire: the page asked for without credentials, refused with the challenge, asked for
  // again with what was typed into the prompt.
  expect(proxy.exchanges.slice(0, 2)).toEqual([
    {
      method: 'GET',
      path: '/admin/queues',
      authorization: undefined,
      status: 401,
      challenge: CHALLENGE,
    },
    {
      method: 'GET',
      path: '/admin/queues',
      authorization: basic,
      status: 200,
      challenge: undefined,
    },
  ]);

  // Every queue, with its total; the failed item flagged on its lane.
  const totals: Array<[string, string]> = [
    ['Interactive jobs', '3 Jobs'],
    ['Batch jobs', '0 Jobs'],
    ['Deadlines', '1 Job'],
    ['Webhooks', '0 Jobs'],
  ];
  for (const [name, total] of totals) {
    await card(page, name).getByText(total, { exact: true }).waitFor({ timeout: UI_TIMEOUT });
  }
  const interactive = card(page, 'Interactive jobs');
  const flag = interactive.getByRole('link', { name: /^Failed\s*1$/ });
  expect(await flag.getAttribute('href')).toBe(
    '/admin/queues/queue/jobs-interactive?status=failed',
  );

  // The failed list, then the failed job's own page with its failure reason.
  await flag.click();
  await page.waitForURL(`${proxy.url}/admin/queues/queue/jobs-interactive?status=failed`);
  const jobLink = page.getByRole('link', { name: failed.id, exact: true });
  await jobLink.waitFor({ timeout: UI_TIMEOUT });
  // The admin's failed list offers the bulk actions and the job's own (the viewer's check below
  // uses the same selectors, so its zeros mean something).
  expect(await countControls(page)).toEqual({
    retryAll: 1,
    cleanAll: 1,
    retry: 1,
    duplicate: 1,
    edit: 1,
    remove: 1,
  });
  await jobLink.click();
  await page.waitForURL(
    (at) => at.pathname === `/admin/queues/queue/jobs-interactive/${failed.id}`,
  );
  const reason = 'JobEndedError: invalid_request (HTTP 400): see the job record';
  await page.getByText('invalid_request (HTTP 400)').first().waitFor({ timeout: UI_TIMEOUT });
  expect(await page.locator('main').innerText()).toContain(reason);

  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'bull-board-failed-job.png'), fullPage: true });

  // After the prompt every request under the board carried the credential from the start.
  const board = proxy.exchanges.slice(2).filter((e) => e.path.startsWith('/admin/queues'));
  expect(board.length).toBeGreaterThan(10);
  expect(board.filter((e) => e.authorization !== basic || e.status !== 200)).toEqual([]);
  await closeSession(admin);
});

test('the viewer gets the same prompt, a board marked read-only, and no button that writes', async () => {
  const basic = `Basic ${Buffer.from(`viewer:${stack.viewerToken}`).toString('base64')}`;
  const viewer = await session('viewer', stack.viewerToken!);
  const { page } = viewer;
  proxy.exchanges.length = 0;

  const failedList = `${proxy.url}/admin/queues/queue/jobs-interactive?status=failed`;
  expect((await page.goto(failedList))!.status()).toBe(200);
  expect(proxy.exchanges.slice(0, 2).map((e) => [e.authorization, e.status, e.challenge])).toEqual([
    [undefined, 401, CHALLENGE],
    [basic, 200, undefined],
  ]);
  await page.getByText('read-only', { exact: true }).waitFor({ timeout: UI_TIMEOUT });
  await page.getByText('invalid_request (HTTP 400)').first().waitFor({ timeout: UI_TIMEOUT });
  expect(await countControls(page)).toEqual({
    retryAll: 0,
    cleanAll: 0,
    retry: 0,
    duplicate: 0,
    edit: 0,
    remove: 0,
  });

  await page.goto(`${proxy.url}/admin/queues/queue/jobs-interactive/${failed.id}`);
  await page.getByText('invalid_request (HTTP 400)').first().waitFor({ timeout: UI_TIMEOUT });
  expect(await countControls(page)).toEqual({
    retryAll: 0,
    cleanAll: 0,
    retry: 0,
    duplicate: 0,
    edit: 0,
    remove: 0,
  });
  await page.screenshot({ path: join(ARTIFACTS, 'bull-board-viewer.png'), fullPage: true });

  // A write sent from the viewer's page anyway (as a crafted request would be) is refused.
  const refused = await page.evaluate(async (path) => {
    const answer = await fetch(path, { method: 'PUT' });
    return { status: answer.status, body: await answer.json() };
  }, `/admin/queues/api/queues/jobs-interactive/${failed.id}/retry`);
  expect(refused).toMatchObject({
    status: 403,
    body: { error: { type: 'permission_denied', message: 'The viewer token is read-only.' } },
  });
  await closeSession(viewer);
});
