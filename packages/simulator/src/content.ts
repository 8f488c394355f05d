import { type IncomingHttpHeaders } from 'node:http';

/**
 * Flattens message content (a string or an array of blocks) to text. Text blocks are joined with
 * "\n" on both providers, so the same conversation gives the same answer on either endpoint;
 * non-text blocks (images, tool calls) carry no text and are skipped.
 */
export function flattenContent(content: unknown, where: string): string | { error: string } {
  if (typeof content === 'string') return content;
  if (content === null || content === undefined) return '';
  if (!Array.isArray(content)) return { error: `${where}: expected a string or an array` };
  const texts: string[] = [];
  for (const block of content) {
    if (typeof block !== 'object' || block === null) {
      return { error: `${where}: expected content blocks to be objects` };
    }
    const { type, text } = block as { type?: unknown; text?: unknown };
    if (type !== 'text') continue;
    if (typeof text !== 'string') return { error: `${where}: text block without a string text` };
    texts.push(text);
  }
  return texts.join('\n');
}

export function isRecord(value: unknown): value is Record<string, unknown> {
  return typeof value === 'object' && value !== null && !Array.isArray(value);
}

/** `undefined` when absent, the number when a positive integer, otherwise `'invalid'`. */
export function optionalPositiveInt(value: unknown): number | undefined | 'invalid' {
  if (value === undefined || value === null) return undefined;
  if (!Number.isSafeInteger(value) || (value as number) < 1) return 'invalid';
  return value as number;
}

/** The key from `Authorization: Bearer <key>`, or `undefined` if absent or empty. */
export function bearerToken(headers: IncomingHttpHeaders): string | undefined {
  const auth = headers.authorization;
  if (auth === undefined || !/^bearer /i.test(auth)) return undefined;
  const key = auth.slice(7).trim();
  return key === '' ? undefined : key;
}
