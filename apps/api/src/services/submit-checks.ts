import { checkChainPrices, resolveModelChain, type Settings } from '@switchyard/config';
import { InvalidRequestError, type JobRequest, type Tenant } from '@switchyard/core';
import { checkWebhookUrl } from '@switchyard/webhooks';

/** Where a name of `[model, ...fallbacks]` sits in the body, for an error's `details`. */
const modelPath = (index: number) => (index === 0 ? 'body.model' : `body.fallbacks.${index - 1}`);

/**
 * The checks of a job body against the config and its tenant that need no Redis: its model
 * chain (every name known, some provider able to serve it, every model priced as the config and
 * the tenant's budget require) and its webhook URL. They run before the rate limit is taken, so
 * a request refused here costs the tenant nothing. Returns the chain the job will try.
 */
export function checkSubmittable(settings: Settings, tenant: Tenant, body: JobRequest): string[] {
  const resolved = resolveModelChain(settings, body.model, body.fallbacks);
  if (!resolved.ok) {
    throw new InvalidRequestError(`Invalid model: ${resolved.message}.`, [
      { path: modelPath(resolved.index), message: 'not a model this API can serve' },
    ]);
  }
  const hasBudget = tenant.limits.monthly_budget_usd !== null;
  const unpriced = checkChainPrices(settings, resolved.chain, { hasBudget });
  if (unpriced) {
    throw new InvalidRequestError(`Unpriced model: ${unpriced.message}.`, [
      { path: pricePath(settings, body, unpriced.model), message: PRICE_DETAIL[unpriced.reason] },
    ]);
  }
  if (body.webhook !== undefined) {
    // Checked again when sending (the name may resolve elsewhere by then); refused early here.
    const allowPrivate = settings.env.SWITCHYARD_WEBHOOK_ALLOW_PRIVATE;
    const target = checkWebhookUrl(body.webhook, { allowPrivate });
    if (!target.ok) {
      throw new InvalidRequestError(`The ${target.reason}.`, [
        { path: 'body.webhook', message: target.reason },
      ]);
    }
  }
  return resolved.chain;
}

const PRICE_DETAIL = {
  unpriced: 'has no price in the config',
  unpriced_with_budget: 'has no price, and this tenant has a monthly budget',
} as const;

/** The body field that brought an unpriced model in: the model itself, or a route holding it. */
function pricePath(settings: Settings, body: JobRequest, model: string): string {
  const index = [body.model, ...body.fallbacks].findIndex(
    (name) =>
      name === model ||
      (Object.hasOwn(settings.routes, name) && settings.routes[name]!.includes(model)),
  );
  return modelPath(Math.max(0, index));
}
