import { mkdirSync } from 'node:fs';
import { join } from 'node:path';
import {
  type AppRoute,
  documentedRoutes,
  type Stack,
  startStack,
} from '@switchyard/integration-tests';
import { type BrowserSession, openBrowserSession } from '../src/browser-session';

/**
 * The API reference at /docs in a real browser, as a developer opens it: every route the API's
 * router serves (minus Bull Board and the page's own files) is on the page by method and path,
 * rendered from this server's files alone.
 */
jest.setTimeout(120_000);

const ARTIFACTS = join(__dirname, '..', 'artifacts');
/** Long enough for a cold Chromium on a busy two-core machine; a wrong page fails after it. */
const UI_TIMEOUT = 30_000;

let stack: Stack;
let session: BrowserSession | undefined;

beforeAll(async () => {
  stack = await startStack();
});

afterAll(async () => {
  await session?.close();
  await stack?.close();
});

const byRoute = (a: AppRoute, b: AppRoute) =>
  `${a.path} ${a.method}`.localeCompare(`${b.path} ${b.method}`);

test('/docs shows every route of the router by method and path, from local files only', async () => {
  const expected = documentedRoutes(stack.api.deps).sort(byRoute);
  // The walk found the routes a reader looks for, so the comparison below means something.
  expect(expected).toEqual(
    expect.arrayContaining([
      { method: 'POST', path: '/v1/jobs' },
      { method: 'GET', path: '/v1/jobs/{id}' },
      { method: 'DELETE', path: '/admin/keys/{key_prefix}' },
      { method: 'GET', path: '/openapi.json' },
    ]),
  );

  // The session aborts requests to any other origin; each is recorded, so a CDN link would show.
  session = await openBrowserSession(stack.api.url);
  const { page } = session;
  const elsewhere: string[] = [];
  const failed: string[] = [];
  const errors: string[] = [];
  page.on('request', (request) => {
    if (new URL(request.url()).origin !== stack.api.url) elsewhere.push(request.url());
  });
  page.on('response', (response) => {
    if (response.status() >= 400) failed.push(`${response.status()} ${response.url()}`);
  });
  page.on('pageerror', (error) => errors.push(error.message));

  const response = await page.goto(`${stack.api.url}/docs`);
  expect(response!.status()).toBe(200);
  await page.getByRole('heading', { name: /Switchyard/ }).waitFor({ timeout: UI_TIMEOUT });
  await page.locator('.opblock').first().waitFor({ timeout: UI_TIMEOUT });

  // Each operation as the page shows it: its method badge and its path (the page breaks long
  // paths with zero-width spaces, which a reader does not see).
  const shown = await page.locator('.opblock-summary').evaluateAll((summaries) =>
    summaries.map((summary) => ({
      method: summary.querySelector('.opblock-summary-method')?.textContent ?? '',
      path: (summary.querySelector('.opblock-summary-path')?.textContent ?? '').replace(
        /\u200b/g,
        '',
      ),
    })),
  );
  expect(shown.sort(byRoute)).toEqual(expected);
  mkdirSync(ARTIFACTS, { recursive: true });
  await page.screenshot({ path: join(ARTIFACTS, 'api-reference.png'), fullPage: true });

  // One operation opened: its request body is core's JobRequest, resolved from the components
  // down to its fields.
  await page.locator('#operations-jobs-submitJob .opblock-summary-control').click();
  const submit = page.locator('#operations-jobs-submitJob');
  await submit.getByText('Request body').waitFor({ timeout: UI_TIMEOUT });
  await submit.getByRole('tab', { name: 'Schema' }).first().click();
  await submit.getByText('JobRequest').first().waitFor({ timeout: UI_TIMEOUT });
  await submit.getByText('webhook_events_filter').first().waitFor({ timeout: UI_TIMEOUT });

  expect({ elsewhere, failed, errors }).toEqual({ elsewhere: [], failed: [], errors: [] });
});
