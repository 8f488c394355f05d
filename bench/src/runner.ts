import type { Figure } from './figures';
import { Scope } from './scope';

/** What a scenario gets: its scope (what it starts is stopped with it) and where figures go. */
export interface ScenarioContext {
  scope: Scope;
  /** Keeps figures as soon as they are measured: a later failure of the scenario keeps them. */
  report(...figures: Figure[]): void;
}

export interface Scenario {
  name: string;
  /** Past this, the scenario is failed and its scope closed: a hang does not stop the run. */
  timeoutMs: number;
  run(context: ScenarioContext): Promise<void>;
}

export interface ScenarioResult {
  name: string;
  status: 'ok' | 'failed' | 'interrupted';
  startedAt: string;
  seconds: number;
  figures: Figure[];
  error?: string;
}

/** A SIGINT or SIGTERM of the bench, ending the scenario that runs. */
export class Interrupted extends Error {}

/** How the scenario that runs now is ended from outside: an unhandled error, a signal. */
let endCurrent: ((error: Error) => void) | undefined;

/**
 * Ends the running scenario with `error` (an unhandled rejection or exception happened while it
 * ran, or the bench was signalled). Returns false when no scenario runs.
 */
export function failCurrentScenario(error: Error): boolean {
  if (!endCurrent) return false;
  endCurrent(error);
  return true;
}

/**
 * Runs one scenario to its end, whatever that end is: its figures, or its error with the
 * figures measured before it. Its scope is closed in every case before this resolves.
 * `injectFailureAfterMs`: an unhandled rejection that many ms in (BENCH_FAIL), to prove it.
 */
export async function runScenario(
  scenario: Scenario,
  injectFailureAfterMs?: number,
): Promise<ScenarioResult> {
  const scope = new Scope();
  const figures: Figure[] = [];
  const startedAt = new Date();
  const ended = new Promise<never>((_, reject) => (endCurrent = reject));
  const timer = setTimeout(
    () => endCurrent?.(new Error(`timed out after ${scenario.timeoutMs / 1_000} s`)),
    scenario.timeoutMs,
  );
  const injected =
    injectFailureAfterMs === undefined
      ? undefined
      : setTimeout(() => {
          // Deliberately unhandled, as the limits scenario's "Connection is closed" once was.
          void Promise.reject(new Error(`BENCH_FAIL: injected unhandled rejection`));
        }, injectFailureAfterMs);
  let status: ScenarioResult['status'] = 'ok';
  let error: string | undefined;
  try {
    await Promise.race([scenario.run({ scope, report: (...f) => figures.push(...f) }), ended]);
  } catch (caught) {
    status = caught instanceof Interrupted ? 'interrupted' : 'failed';
    error = caught instanceof Error ? caught.message : String(caught);
  } finally {
    endCurrent = undefined;
    clearTimeout(timer);
    clearTimeout(injected);
    await scope.close();
  }
  return {
    name: scenario.name,
    status,
    startedAt: startedAt.toISOString(),
    seconds: Math.round((Date.now() - startedAt.getTime()) / 100) / 10,
    figures,
    ...(error !== undefined && { error }),
  };
}
