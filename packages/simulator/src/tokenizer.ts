// One shared regex: every call resets lastIndex and runs synchronously, so sharing is safe and
// saves an allocation per call on the hot path.
const TOKEN = /\w+|[^\w\s]/g;

/**
 * Counts tokens with a deliberately simple, deterministic rule: each run of word characters and
 * each other non-space character is one token. Real tokenizers differ; tests only need a rule
 * that both the simulator and the code under test can compute.
 */
export function countTokens(text: string): number {
  TOKEN.lastIndex = 0;
  let count = 0;
  while (TOKEN.exec(text) !== null) count++;
  return count;
}

/** End offset of every token in `text`, so callers can cut after the n-th token exactly. */
export function tokenEnds(text: string): number[] {
  TOKEN.lastIndex = 0;
  const ends: number[] = [];
  let match: RegExpExecArray | null;
  while ((match = TOKEN.exec(text)) !== null) ends.push(match.index + match[0].length);
  return ends;
}

/**
 * Splits `text` into one piece per token, each carrying the whitespace before it, so the pieces
 * concatenate back to `text` exactly (that is what streamed deltas must do).
 */
export function tokenChunks(text: string): string[] {
  const chunks: string[] = [];
  let start = 0;
  for (const end of tokenEnds(text)) {
    chunks.push(text.slice(start, end));
    start = end;
  }
  if (start < text.length) {
    if (chunks.length === 0) chunks.push(text);
    else chunks[chunks.length - 1] += text.slice(start);
  }
  return chunks;
}
