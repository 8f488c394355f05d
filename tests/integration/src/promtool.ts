import { spawn } from 'node:child_process';

/**
 * `promtool check metrics` (Debian's `prometheus` package) on an exposition: its exit code and
 * what it printed. Exit 0 means the text parses and passes promtool's lint (names, suffixes,
 * units, help).
 */
export function promtoolCheckMetrics(
  exposition: string,
): Promise<{ code: number; output: string }> {
  return new Promise((resolve, reject) => {
    const child = spawn('promtool', ['check', 'metrics'], { stdio: ['pipe', 'pipe', 'pipe'] });
    let output = '';
    child.stdout.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.stderr.on('data', (chunk: Buffer) => (output += chunk.toString()));
    child.once('error', (error) =>
      reject(new Error(`promtool not runnable (apt-get install prometheus): ${error.message}`)),
    );
    child.once('close', (code) => resolve({ code: code ?? -1, output }));
    child.stdin.end(exposition);
  });
}
