/**
 * The non-empty lines of a streamed body, as they arrive: a results file of 10,000 lines is
 * never held whole. The body is released when the caller stops early.
 */
export async function* jsonlLines(body: ReadableStream<Uint8Array>): AsyncGenerator<string> {
  const decoder = new TextDecoder();
  const reader = body.getReader();
  let buffered = '';
  try {
    for (;;) {
      const chunk = await reader.read();
      buffered += chunk.done ? decoder.decode() : decoder.decode(chunk.value, { stream: true });
      const lines = buffered.split('\n');
      // The last piece is a line still being received, unless the body has ended.
      buffered = chunk.done ? '' : lines.pop()!;
      for (const line of lines) if (line.trim() !== '') yield line;
      if (chunk.done) return;
    }
  } finally {
    await reader.cancel().catch(() => undefined);
  }
}
