import { SwitchyardClient, SwitchyardError } from '@switchyard/sdk';
import type { StateDir } from './state-dir';

const FILE = 'dev-tenant.json';

export interface DevTenant {
  tenantId: string;
  apiKey: string;
}

/**
 * The tenant the printed curl uses: reused across restarts (Redis keeps it in its AOF) as long
 * as its key still works, created through the admin API otherwise.
 */
export async function ensureDevTenant(
  state: StateDir,
  apiUrl: string,
  adminToken: string,
): Promise<DevTenant> {
  const saved = state.read(FILE);
  if (saved) {
    const tenant = JSON.parse(saved) as DevTenant;
    try {
      await new SwitchyardClient({ baseUrl: apiUrl, apiKey: tenant.apiKey }).list({ limit: 1 });
      return tenant;
    } catch (error) {
      if (!(error instanceof SwitchyardError) || error.status !== 401) throw error;
    }
  }
  const admin = new SwitchyardClient({ baseUrl: apiUrl, apiKey: adminToken });
  const created = await admin.createTenant('dev');
  const tenant = { tenantId: created.tenant.id, apiKey: created.api_key.key };
  state.write(FILE, JSON.stringify(tenant));
  return tenant;
}
