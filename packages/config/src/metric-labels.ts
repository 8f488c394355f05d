import type { Settings } from './settings';

/** The label value of a model that is neither priced in the config nor a route. */
export const OTHER_MODEL = 'other';

/**
 * A requested model (`provider/model` or a route alias) as a metric label. A tenant may name any
 * model of a configured provider, and Prometheus keeps a series for every label value it sees:
 * only the models the config knows (priced, or a route) keep their name, the rest are `other`,
 * so no client can grow the metrics without bound.
 */
export function modelLabel(settings: Settings, model: string): string {
  return Object.hasOwn(settings.models, model) || Object.hasOwn(settings.routes, model)
    ? model
    : OTHER_MODEL;
}

/** The model part of a provider call's labels (`gpt-4o-mini` of `openai`), bounded the same way. */
export function providerModelLabel(settings: Settings, provider: string, model: string): string {
  return Object.hasOwn(settings.models, `${provider}/${model}`) ? model : OTHER_MODEL;
}
