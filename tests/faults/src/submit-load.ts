import type { JobRequestInput } from '@switchyard/core';
import { http } from '@switchyard/integration-tests';

/** What one submit got back: the status, and the job's ID when it was accepted. */
export interface SubmitAnswer {
  status: number;
  id: string | undefined;
  /** The error type of a refusal (`service_unavailable`, …). */
  errorType: string | undefined;
  /** Milliseconds from sending the request to its answer. */
  ms: number;
}

/** One submit; a connection refused or reset counts as status 0. */
export async function submitOnce(
  apiUrl: string,
  apiKey: string,
  body: JobRequestInput,
): Promise<SubmitAnswer> {
  const start = performance.now();
  try {
    const answer = await http(`${apiUrl}/v1/jobs`, { token: apiKey, body });
    const ms = performance.now() - start;
    const accepted = answer.status === 202 || answer.status === 200;
    return {
      status: answer.status,
      id: accepted ? answer.body.id : undefined,
      errorType: accepted ? undefined : answer.body?.error?.type,
      ms,
    };
  } catch {
    return { status: 0, id: undefined, errorType: undefined, ms: performance.now() - start };
  }
}

/** `count` submits, `parallel` at a time; `body(i)` makes the i-th. Answers in order of `i`. */
export async function submitMany(
  apiUrl: string,
  apiKey: string,
  count: number,
  body: (i: number) => JobRequestInput,
  parallel = 50,
): Promise<SubmitAnswer[]> {
  const answers: SubmitAnswer[] = new Array(count);
  let next = 0;
  const lane = async () => {
    for (let i = next++; i < count; i = next++)
      answers[i] = await submitOnce(apiUrl, apiKey, body(i));
  };
  await Promise.all(Array.from({ length: Math.min(parallel, count) }, lane));
  return answers;
}

/** A chat job with a prompt of its own (no two share a cache entry or a dedup lease). */
export function uniqueJob(
  label: string,
  i: number,
  extra: Partial<JobRequestInput> = {},
): JobRequestInput {
  return {
    model: 'openai/gpt-4o-mini',
    input: { messages: [{ role: 'user', content: `${label} ${i} ${process.pid}-${Date.now()}` }] },
    ...extra,
  };
}
