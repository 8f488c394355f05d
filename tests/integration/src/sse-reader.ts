/** One block of a Server-Sent Events response, its lines as sent (no field merging). */
export interface SseFrame {
  /** Every line of the block, in order, e.g. `['id: 1-0', 'event: status', 'data: {…}']`. */
  lines: string[];
  id?: string;
  event?: string;
  data?: string;
  retry?: number;
  /** The text of a comment line (`: keep-alive` → `keep-alive`). */
  comment?: string;
}

/**
 * Reads an SSE response block by block, keeping each line as it came, so a test can assert the
 * exact wire format. Hand-written on purpose: a parser library would hide what we check.
 */
export class SseReader {
  private buffer = '';
  private readonly decoder = new TextDecoder();
  private ended = false;

  private constructor(
    readonly response: Response,
    private readonly body: ReadableStreamDefaultReader<Uint8Array>,
    private readonly controller: AbortController,
  ) {}

  /** GETs `url` and opens its body; a non-SSE answer can be read with `response`. */
  static async open(url: string, headers: Record<string, string>): Promise<SseReader> {
    const controller = new AbortController();
    const response = await fetch(url, { headers, signal: controller.signal });
    return new SseReader(response, response.body!.getReader(), controller);
  }

  /** The next block, or undefined once the server has ended the stream. */
  async next(): Promise<SseFrame | undefined> {
    for (;;) {
      const end = this.buffer.indexOf('\n\n');
      if (end >= 0) {
        const block = this.buffer.slice(0, end);
        this.buffer = this.buffer.slice(end + 2);
        return parseBlock(block);
      }
      if (this.ended) return undefined;
      const { done, value } = await this.body.read();
      if (done) this.ended = true;
      else this.buffer += this.decoder.decode(value, { stream: true });
    }
  }

  /** Every block until the server ends the stream. */
  async rest(): Promise<SseFrame[]> {
    const frames: SseFrame[] = [];
    for (let frame = await this.next(); frame; frame = await this.next()) frames.push(frame);
    return frames;
  }

  /** Blocks until one matches `until` (included). */
  async until(until: (frame: SseFrame) => boolean): Promise<SseFrame[]> {
    const frames: SseFrame[] = [];
    for (;;) {
      const frame = await this.next();
      if (!frame)
        throw new Error(`the stream ended before the awaited frame: ${JSON.stringify(frames)}`);
      frames.push(frame);
      if (until(frame)) return frames;
    }
  }

  /** The whole body as text, for an answer that is not a stream (an error's JSON). */
  async text(): Promise<string> {
    while (!this.ended) {
      const { done, value } = await this.body.read();
      if (done) this.ended = true;
      else this.buffer += this.decoder.decode(value, { stream: true });
    }
    return this.buffer;
  }

  /** Drops the connection, as a client that goes away does. */
  abort(): void {
    this.controller.abort();
  }
}

function parseBlock(block: string): SseFrame {
  const lines = block.split('\n');
  const frame: SseFrame = { lines };
  for (const line of lines) {
    if (line.startsWith(':')) frame.comment = line.slice(1).trim();
    else if (line.startsWith('id: ')) frame.id = line.slice(4);
    else if (line.startsWith('event: ')) frame.event = line.slice(7);
    else if (line.startsWith('data: ')) frame.data = line.slice(6);
    else if (line.startsWith('retry: ')) frame.retry = Number(line.slice(7));
  }
  return frame;
}
