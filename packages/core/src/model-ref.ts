/** A concrete provider and model, as parsed from `provider/model`. */
export interface ModelRef {
  provider: string;
  model: string;
}

/**
 * Splits `provider/model` at the first slash (model names may contain slashes themselves, as in
 * `local/meta-llama/Llama-3-8B`). A string without a slash is not a model ref: it may be a route.
 */
export function parseModelRef(text: string): ModelRef | undefined {
  const slash = text.indexOf('/');
  if (slash <= 0 || slash === text.length - 1) return undefined;
  return { provider: text.slice(0, slash), model: text.slice(slash + 1) };
}

export function formatModelRef(ref: ModelRef): string {
  return `${ref.provider}/${ref.model}`;
}
