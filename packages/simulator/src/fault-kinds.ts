/** Every failure the simulator can inject, in the order rate-based draws are made. */
export const FAULT_KINDS = [
  '500',
  '502',
  '503',
  '529',
  '429',
  'insufficient_quota',
  '400',
  '401',
  '403',
  '404',
  '413',
  'context_length',
  'hang',
  'reset',
  'malformed',
] as const;

/** A failure the simulator can inject; see the README for what each looks like on the wire. */
export type FaultKind = (typeof FAULT_KINDS)[number];

const KINDS: ReadonlySet<string> = new Set(FAULT_KINDS);

export function isFaultKind(value: string): value is FaultKind {
  return KINDS.has(value);
}
