import { type ServerResponse } from 'node:http';
import { type RequestScope } from './request-scope';

export const SSE_HEADERS: Readonly<Record<string, string>> = {
  'content-type': 'text/event-stream; charset=utf-8',
  'cache-control': 'no-cache',
};

/** Writes the frames with `gapMs` between them; at 0 it is one write, which is much cheaper. */
export function writeFrames(
  res: ServerResponse,
  scope: RequestScope,
  frames: readonly string[],
  gapMs: number,
): void {
  if (gapMs <= 0 || frames.length <= 1) {
    res.end(frames.join(''));
    return;
  }
  let next = 0;
  const step = (): void => {
    const frame = frames[next++] ?? '';
    if (next >= frames.length) {
      res.end(frame);
      return;
    }
    res.write(frame);
    scope.later(gapMs, step);
  };
  step();
}
