/** pino's numeric levels. */
const LEVELS: Record<number, string> = {
  10: 'trace',
  20: 'debug',
  30: 'info',
  40: 'warn',
  50: 'error',
  60: 'fatal',
};
const SKIP = new Set(['level', 'time', 'pid', 'hostname', 'name', 'msg']);

/**
 * Turns a child's JSON log line into one readable line for the terminal
 * (`[api] info api listening port=8080`); non-JSON lines pass through.
 */
export function formatLogLine(name: string, line: string): { text: string; message?: string } {
  let entry: Record<string, unknown>;
  try {
    entry = JSON.parse(line) as Record<string, unknown>;
  } catch {
    return { text: `[${name}] ${line}` };
  }
  const fields = Object.entries(entry)
    .filter(([key]) => !SKIP.has(key))
    .map(
      ([key, value]) =>
        `${key}=${typeof value === 'object' ? JSON.stringify(value) : String(value)}`,
    );
  const level = LEVELS[entry.level as number] ?? String(entry.level);
  const message = typeof entry.msg === 'string' ? entry.msg : '';
  return { text: [`[${name}]`, level, message, ...fields].join(' '), message };
}
