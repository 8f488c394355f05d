import { checkChainPrices, resolveModelChain, type Settings } from '@switchyard/config';
import { InvalidRequestError, type JobRequest, type Tenant } from '@switchyard/core';
import { checkWebhookUrl } from '@switchyard/webhooks';

/** Where a name of `[model, ...fallbacks]` sits in the body, for an error's `details`. */
const modelPath = (where: string, index: number) =>
  index === 0 ? `${where}.model` : `${where}.fallbacks.${index - 1}`;

/**
 * The checks of a job body against the config and its tenant that need no Redis: its model
 * chain (every name known, some provider able to serve it, every model priced as the config and
 * the tenant's budget require) and its webhook URL. They run before the rate limit is taken, so
 * a request refused here costs the tenant nothing. Returns the chain the job will try. `where`
 * is where the job body sits in the request (a batch's `body.requests.3`), for `details`.
 */
export function checkSubmittable(
  settings: Settings,
  tenant: Tenant,
  body: JobRequest,
  where = 'body',
): string[] {
  const resolved = resolveModelChain(settings, body.model, body.fallbacks);
  if (!resolved.ok) {
    throw new InvalidRequestError(`Invalid model: ${at(where)}${resolved.message}.`, [
      { path: modelPath(where, resolved.index), message: 'not a model this API can serve' },
    ]);
  }
  const hasBudget = tenant.limits.monthly_budget_usd !== null;
  const unpriced = checkChainPrices(settings, resolved.chain, { hasBudget });
  if (unpriced) {
    throw new InvalidRequestError(`Unpriced model: ${at(where)}${unpriced.message}.`, [
      {
        path: pricePath(settings, body, unpriced.model, where),
        message: PRICE_DETAIL[unpriced.reason],
      },
    ]);
  }
  if (body.webhook !== undefined) checkWebhook(settings, body.webhook, `${where}.webhook`);
  return resolved.chain;
}

/** Names the item in a message when the body is one of a batch's (`where` is not `body`). */
const at = (where: string) => (where === 'body' ? '' : `${where}: `);

/**
 * Refuses a webhook URL that cannot be reached or is not allowed (private addresses), naming
 * `path`. Checked again when sending (the name may resolve elsewhere by then); refused early here.
 */
export function checkWebhook(settings: Settings, url: string, path: string): void {
  const allowPrivate = settings.env.SWITCHYARD_WEBHOOK_ALLOW_PRIVATE;
  const target = checkWebhookUrl(url, { allowPrivate });
  if (!target.ok) {
    throw new InvalidRequestError(`The ${target.reason}.`, [{ path, message: target.reason }]);
  }
}

const PRICE_DETAIL = {
  unpriced: 'has no price in the config',
  unpriced_with_budget: 'has no price, and this tenant has a monthly budget',
} as const;

/** The body field that brought an unpriced model in: the model itself, or a route holding it. */
function pricePath(settings: Settings, body: JobRequest, model: string, where: string): string {
  const index = [body.model, ...body.fallbacks].findIndex(
    (name) =>
      name === model ||
      (Object.hasOwn(settings.routes, name) && settings.routes[name]!.includes(model)),
  );
  return modelPath(where, Math.max(0, index));
}
