import { type FaultKind, isFaultKind } from './fault-kinds';
import { parseDuration } from './duration';

/** What a `[[sim: …]]` prompt directive asks for. */
export interface Directive {
  fault?: FaultKind;
  /** Apply the fault to the first `times` identical requests only. */
  times?: number;
  retryAfterMs?: number;
  latencyMs?: number;
  /** Apply the fault only to requests for this model (a fallback test fails one model only). */
  model?: string;
}

const MARKER = '[[sim:';
const DIRECTIVE = /\[\[sim:([^\]]*)\]\]/g;
// Spaces around a directive go with it, so "Hi [[sim: …]]" answers exactly like "Hi".
const DIRECTIVE_WITH_SPACES = /[ \t]*\[\[sim:[^\]]*\]\][ \t]*/g;

interface Content {
  content: string;
}

/** Removes directives from one message's text; text without a directive is returned as is. */
export function stripDirectives(content: string): string {
  if (!content.includes(MARKER)) return content;
  return content.replace(DIRECTIVE_WITH_SPACES, ' ').trim();
}

/**
 * Reads every directive in the messages (later keys win). Returns `undefined` when there is
 * none, or an error message naming the bad part so the caller can answer 400.
 */
export function parseDirectives(messages: readonly Content[]): Directive | string | undefined {
  let found: Directive | undefined;
  for (const { content } of messages) {
    if (!content.includes(MARKER)) continue;
    for (const match of content.matchAll(DIRECTIVE)) {
      found ??= {};
      const error = readParts(match[1] ?? '', found);
      if (error !== undefined) return `invalid [[sim: …]] directive: ${error}`;
    }
  }
  return found;
}

function readParts(body: string, into: Directive): string | undefined {
  for (const part of body.trim().split(/\s+/)) {
    if (part === '') continue;
    const eq = part.indexOf('=');
    const key = eq === -1 ? part : part.slice(0, eq);
    const value = eq === -1 ? '' : part.slice(eq + 1);
    switch (key) {
      case 'fault':
        if (!isFaultKind(value)) return `unknown fault "${value}"`;
        into.fault = value;
        break;
      case 'times': {
        const times = Number(value);
        if (!/^\d+$/.test(value) || times < 1) return `times must be a positive integer`;
        into.times = times;
        break;
      }
      case 'retry_after': {
        const seconds = Number(value);
        if (value === '' || !Number.isFinite(seconds) || seconds < 0) {
          return `retry_after must be a number of seconds`;
        }
        into.retryAfterMs = Math.round(seconds * 1000);
        break;
      }
      case 'latency': {
        const ms = parseDuration(value);
        if (ms === undefined) return `latency must be milliseconds or a duration like 2s`;
        into.latencyMs = ms;
        break;
      }
      case 'model':
        if (value === '') return 'model must name a model';
        into.model = value;
        break;
      default:
        return `unknown key "${key}" (expected fault, times, retry_after, latency or model)`;
    }
  }
  return undefined;
}
