import type { JobRequestInput } from '@switchyard/core';
import { type SubmitAnswer, submitOnce } from './submit-load';

/** One submit of a load, with when it was sent (`performance.now()`). */
export interface TimedAnswer extends SubmitAnswer {
  sentAt: number;
}

export interface SubmitLoop {
  /** Every answer so far, in the order they came. */
  readonly answers: readonly TimedAnswer[];
  /** Stops sending and resolves once every submit sent has its answer. */
  stop(): Promise<TimedAnswer[]>;
}

/** After a refusal, a lane pauses this long so an outage is not a busy loop. */
const PAUSE_AFTER_REFUSAL_MS = 20;

/** Submits without pause from `lanes` concurrent clients until stopped; `body(i)` makes the i-th. */
export function startSubmitLoop(
  apiUrl: string,
  apiKey: string,
  lanes: number,
  body: (i: number) => JobRequestInput,
): SubmitLoop {
  const answers: TimedAnswer[] = [];
  let stopped = false;
  let next = 0;
  const lane = async () => {
    while (!stopped) {
      const sentAt = performance.now();
      const answer = await submitOnce(apiUrl, apiKey, body(next++));
      answers.push({ ...answer, sentAt });
      if (answer.status !== 202) await new Promise((r) => setTimeout(r, PAUSE_AFTER_REFUSAL_MS));
    }
  };
  const running = Promise.all(Array.from({ length: lanes }, lane));
  return {
    answers,
    stop: async () => {
      stopped = true;
      await running;
      return answers;
    },
  };
}
