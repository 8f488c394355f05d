import Anthropic from '@anthropic-ai/sdk';
import OpenAI from 'openai';
import { type Simulator } from '../src/index';

export const OPENAI_KEY = 'sk-test-openai-1234';
export const ANTHROPIC_KEY = 'sk-ant-test-5678';

/**
 * Jest runs tests in their own realm, so native fetch's AbortError fails the SDKs' `instanceof
 * Error` check and a timeout is reported as a plain connection error. Re-creating the error in
 * this realm keeps the SDKs' behaviour what it is in a normal process.
 */
const realmFetch: typeof fetch = async (input, init) => {
  try {
    return await fetch(input, init);
  } catch (err) {
    const { name, message } = err as { name?: string; message?: string };
    throw Object.assign(new Error(message), { name });
  }
};

export function openaiClient(
  sim: Simulator,
  options: { timeout?: number; apiKey?: string } = {},
): OpenAI {
  return new OpenAI({
    apiKey: options.apiKey ?? OPENAI_KEY,
    baseURL: sim.openaiBaseUrl,
    maxRetries: 0,
    timeout: options.timeout ?? 10_000,
    logLevel: 'off',
    fetch: realmFetch,
  });
}

export function anthropicClient(sim: Simulator, options: { timeout?: number } = {}): Anthropic {
  return new Anthropic({
    apiKey: ANTHROPIC_KEY,
    baseURL: sim.anthropicBaseUrl,
    maxRetries: 0,
    timeout: options.timeout ?? 10_000,
    logLevel: 'off',
    fetch: realmFetch,
  });
}

export function sleep(ms: number): Promise<void> {
  return new Promise((resolve) => setTimeout(resolve, ms));
}

/** Awaits a promise that must reject, and returns the rejection for exact assertions. */
export async function failure(promise: Promise<unknown>): Promise<unknown> {
  try {
    await promise;
  } catch (err) {
    return err;
  }
  throw new Error('expected the call to fail, but it succeeded');
}

export interface RawResponse {
  status: number;
  headers: Headers;
  text: string;
  json: unknown;
}

/** A plain HTTP call, for what the SDKs refuse to send (no key, bad bodies) or to read raw bytes. */
export async function raw(
  url: string,
  init: { method?: string; headers?: Record<string, string>; body?: unknown } = {},
): Promise<RawResponse> {
  const response = await fetch(url, {
    method: init.method ?? (init.body === undefined ? 'GET' : 'POST'),
    headers: { 'content-type': 'application/json', ...init.headers },
    body:
      init.body === undefined
        ? undefined
        : typeof init.body === 'string'
          ? init.body
          : JSON.stringify(init.body),
  });
  const text = await response.text();
  let json: unknown;
  try {
    json = JSON.parse(text);
  } catch {
    json = undefined;
  }
  return { status: response.status, headers: response.headers, text, json };
}

/** Sleeps until the wall clock passes `epochMs` (plus a few ms, as timers may fire a little early). */
export function sleepUntil(epochMs: number): Promise<void> {
  return sleep(Math.max(0, epochMs - Date.now() + 5));
}
