import { ConnectionError, ServiceUnavailableError } from '@switchyard/sdk';
import { UsageError } from './usage-error';

/**
 * The documented exit codes (help text and docs/CLI.md). Scripts branch on them, so they never
 * change meaning: 1 is "the API answered, and the answer is a failure", 3 is "no answer at all".
 */
export const ExitCode = {
  /** The command did what was asked; a waited-for job or batch succeeded. */
  ok: 0,
  /** A job ended failed, canceled or expired (with --wait/--stream), or the API answered an error. */
  failed: 1,
  /** The command line was wrong: unknown command or flag, missing argument, unset key. */
  usage: 2,
  /** The API could not be reached, or answered 503 after the client's retries. */
  transport: 3,
  /** Ctrl-C while following a job or batch (128 + SIGINT); the job itself keeps going. */
  interrupted: 130,
} as const;
export type ExitCode = (typeof ExitCode)[keyof typeof ExitCode];

/** The exit code for an error that ended a command: the single place errors are classified. */
export function exitCodeOf(error: unknown): ExitCode {
  if (error instanceof UsageError || isParseArgsError(error)) return ExitCode.usage;
  if (error instanceof ConnectionError || error instanceof ServiceUnavailableError)
    return ExitCode.transport;
  // Any other API answer (400, 404, 409, …), a wait that timed out, or a bug.
  return ExitCode.failed;
}

/** node:util parseArgs rejects unknown flags and missing values with these codes. */
export function isParseArgsError(error: unknown): error is Error {
  const code = (error as { code?: unknown } | null)?.code;
  return typeof code === 'string' && code.startsWith('ERR_PARSE_ARGS');
}
