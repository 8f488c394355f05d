import { AsyncLocalStorage } from 'node:async_hooks';

/**
 * Tells the code that started a provider call the moment its request was written to the socket.
 * The SDKs sit between that code and our `fetch`, so the callback rides the async context.
 */
const sentCallbacks = new AsyncLocalStorage<() => void>();

/** Runs `work` (a provider call); `onSent` fires when its HTTP request has been sent. */
export function onRequestSent<T>(onSent: () => void, work: () => Promise<T>): Promise<T> {
  return sentCallbacks.run(onSent, work);
}

/** The callback of the call this code runs for, if its caller asked for one. */
export function requestSentCallback(): (() => void) | undefined {
  return sentCallbacks.getStore();
}
