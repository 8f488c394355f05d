import { SwitchyardClient } from '@switchyard/sdk';
import { UsageError } from './usage-error';

/** Where the API is when SWITCHYARD_URL is unset: what `npm start` serves. */
export const DEFAULT_URL = 'http://localhost:8080';

/**
 * A client from the environment the contract names: SWITCHYARD_URL, and SWITCHYARD_API_KEY (a
 * tenant key; the admin token is accepted in its place) or, for admin commands,
 * SWITCHYARD_ADMIN_TOKEN. A missing credential is a usage error: nothing was sent.
 */
export function clientFromEnv(env: NodeJS.ProcessEnv, admin: boolean): SwitchyardClient {
  const baseUrl = env.SWITCHYARD_URL || DEFAULT_URL;
  const apiKey = admin
    ? env.SWITCHYARD_ADMIN_TOKEN
    : env.SWITCHYARD_API_KEY || env.SWITCHYARD_ADMIN_TOKEN;
  if (!apiKey) {
    throw new UsageError(
      admin ? 'set SWITCHYARD_ADMIN_TOKEN' : 'set SWITCHYARD_API_KEY (a tenant key, sy_live_…)',
    );
  }
  return new SwitchyardClient({ baseUrl, apiKey });
}
