import type { Redis } from 'ioredis';

/** One page of a sorted-set index read newest first: its `[member, score]` pairs, and the next. */
export interface IndexPage {
  page: Array<[id: string, score: number]>;
  nextCursor: string | null;
}

/**
 * Up to `limit` members of `index` (a sorted set scored by creation time), highest score first,
 * after `cursor` (from an earlier page). Members sharing a score sort by ID (descending in REV
 * order), so a cursor holds both and a page boundary inside a tie loses nothing.
 */
export async function indexPage(
  redis: Redis,
  index: string,
  options: { limit: number; cursor?: string },
): Promise<IndexPage> {
  const want = options.limit + 1;
  const ids: Array<[string, number]> = [];
  let max = '+inf';
  const cursor = options.cursor ? decodeCursor(options.cursor) : undefined;
  if (cursor) {
    // The members sharing the cursor's score that come after its ID, then strictly below it.
    const ties = await redis.zrange(index, cursor.score, cursor.score, 'BYSCORE', 'REV');
    for (const id of ties) if (id < cursor.id) ids.push([id, cursor.score]);
    max = `(${cursor.score}`;
  }
  if (ids.length < want) {
    const flat = await redis.zrange(
      index,
      max,
      '-inf',
      'BYSCORE',
      'REV',
      'LIMIT',
      0,
      want - ids.length,
      'WITHSCORES',
    );
    for (let i = 0; i < flat.length; i += 2) ids.push([flat[i]!, Number(flat[i + 1])]);
  }
  const page = ids.slice(0, options.limit);
  const last = page[page.length - 1];
  const nextCursor = ids.length > options.limit && last ? encodeCursor(last[1], last[0]) : null;
  return { page, nextCursor };
}

function encodeCursor(score: number, id: string): string {
  return Buffer.from(`${score}|${id}`).toString('base64url');
}

/** Undefined for a cursor we did not make; the API answers that with 400. */
export function decodeCursor(cursor: string): { score: number; id: string } | undefined {
  const [score, id] = Buffer.from(cursor, 'base64url').toString().split('|');
  if (!score || !id || !/^\d+$/.test(score)) return undefined;
  return { score: Number(score), id };
}
