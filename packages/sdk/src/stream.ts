import { JobStreamEvent } from '@switchyard/core';
import { createParser, type EventSourceMessage } from 'eventsource-parser';
import { ConnectionError } from './errors';
import { encodeId, reason, sleep, type Transport } from './transport';

export interface StreamOptions {
  /** Start after this event `id` (one a previous stream yielded) instead of from the first. */
  after?: string;
  /** Stops the stream: the iteration rejects with the signal's reason. */
  signal?: AbortSignal;
  /**
   * Reconnections in a row, without an event in between, before the stream gives up with a
   * ConnectionError. @defaultValue 5
   */
  maxReconnects?: number;
}

/** Wait before reconnecting until the server's `retry:` says otherwise (the EventSource default). */
const DEFAULT_RETRY_MS = 1_000;
const EVENT_TYPES = new Set(['status', 'delta', 'done']);

/**
 * The job's events as they happen, from `GET /v1/jobs/{id}/events`. A dropped connection is
 * resumed with `Last-Event-ID` after the server's `retry:` delay, so every event arrives exactly
 * once and in order; the iteration ends after `done`.
 */
export async function* streamJobEvents(
  transport: Transport,
  id: string,
  options: StreamOptions = {},
): AsyncGenerator<JobStreamEvent> {
  const maxReconnects = options.maxReconnects ?? 5;
  let lastEventId = options.after;
  let retryMs = DEFAULT_RETRY_MS;
  let reconnects = 0;
  for (;;) {
    // Errors of the request itself (404, 401, …) end the stream; 503 and no answer are retried there.
    const response = await transport.send({
      method: 'GET',
      path: `/v1/jobs/${encodeId(id)}/events`,
      headers: {
        Accept: 'text/event-stream',
        ...(lastEventId !== undefined && { 'Last-Event-ID': lastEventId }),
      },
      signal: options.signal,
    });
    const pending: EventSourceMessage[] = [];
    const parser = createParser({
      onEvent: (message) => void pending.push(message),
      onRetry: (ms) => void (retryMs = ms),
    });
    const decoder = new TextDecoder();
    const reader = response.body!.getReader();
    let dropped: unknown;
    try {
      for (;;) {
        const chunk = await reader.read().catch((error: unknown) => {
          if (options.signal?.aborted) throw options.signal.reason;
          dropped = error;
          return { done: true as const, value: undefined };
        });
        if (chunk.done) break;
        parser.feed(decoder.decode(chunk.value, { stream: true }));
        for (const message of pending.splice(0)) {
          if (message.id !== undefined) lastEventId = message.id;
          // A type added to the contract later is skipped, not an error: resume still counts it.
          if (!EVENT_TYPES.has(message.event ?? '')) continue;
          const event = JobStreamEvent.parse({
            type: message.event,
            id: message.id,
            data: JSON.parse(message.data),
          });
          reconnects = 0;
          yield event;
          if (event.type === 'done') return;
        }
      }
    } finally {
      // Also runs when the caller stops iterating early: cancelling the body closes the connection.
      await reader.cancel().catch(() => undefined);
    }
    // The connection ended before `done`: resume after the last event received.
    reconnects += 1;
    if (reconnects > maxReconnects) {
      const why = dropped === undefined ? 'closed before done' : reason(dropped);
      throw new ConnectionError(
        `event stream of ${id} dropped ${reconnects} times in a row (${why})`,
        dropped,
      );
    }
    await sleep(retryMs, options.signal);
  }
}
