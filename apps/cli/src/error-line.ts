import { SwitchyardError } from '@switchyard/sdk';
import { isParseArgsError } from './exit-codes';
import { UsageError } from './usage-error';

/**
 * The one line an error becomes on stderr. An API answer names its status, error type and
 * request_id (what to quote to an operator); a transport failure says what could not be reached;
 * a usage mistake points at the help. Anything else is a bug and keeps its stack.
 */
export function errorLine(error: unknown, commandName: string | undefined): string {
  if (error instanceof UsageError) return `switchyard: ${error.message}\n`;
  if (isParseArgsError(error)) {
    // parseArgs explains how to pass a positional that starts with "-": not the usual mistake.
    const first = error.message.split('. ')[0]!.replace(/\.$/, '');
    const help = commandName ? `switchyard ${commandName} --help` : 'switchyard help';
    return `switchyard: ${first}; see "${help}"\n`;
  }
  if (error instanceof SwitchyardError) {
    if (error.status === 0) return `switchyard: ${error.message}\n`;
    const id = error.requestId ? ` (request_id ${error.requestId})` : '';
    return `switchyard: ${error.status} ${error.type}: ${error.message}${id}\n`;
  }
  return `switchyard: unexpected error: ${(error as Error).stack ?? String(error)}\n`;
}
