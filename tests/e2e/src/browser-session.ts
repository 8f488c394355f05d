import { mkdtempSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { type BrowserContext, chromium, type Page } from 'playwright-core';

/** Debian's Chromium (CI installs the `chromium` package); Playwright downloads no browser here. */
const CHROMIUM = '/usr/bin/chromium';

/** No sandbox (CI runs as root), and nothing that calls out to Google on its own. */
const ARGS = [
  '--no-sandbox',
  '--disable-gpu',
  '--disable-quic',
  '--no-first-run',
  '--disable-background-networking',
  '--disable-component-update',
  '--disable-sync',
];

export interface BrowserSession {
  context: BrowserContext;
  page: Page;
  close(): Promise<void>;
}

/**
 * A fresh headless Chromium (its own temporary profile) that answers HTTP auth challenges with
 * `username`/`password` when given, as a person would type them into the login prompt: only
 * after a 401 with a challenge (`send: 'unauthorized'`). Requests to any origin but `origin` are aborted, so the
 * page can reach nothing off this machine (the board's page links a web font).
 */
export async function openBrowserSession(
  origin: string,
  username?: string,
  password?: string,
): Promise<BrowserSession> {
  const profile = mkdtempSync(join(tmpdir(), 'switchyard-chromium-'));
  const context = await chromium
    .launchPersistentContext(profile, {
      executablePath: CHROMIUM,
      headless: true,
      args: ARGS,
      ...(username !== undefined &&
        password !== undefined && {
          httpCredentials: { username, password, send: 'unauthorized' },
        }),
      viewport: { width: 1400, height: 900 },
    })
    .catch((error: unknown) => {
      rmSync(profile, { recursive: true, force: true });
      throw error;
    });
  await context.route(
    (url) => url.origin !== origin,
    (route) => route.abort(),
  );
  const page = context.pages()[0] ?? (await context.newPage());
  return {
    context,
    page,
    close: async () => {
      await context.close();
      rmSync(profile, { recursive: true, force: true });
    },
  };
}
