import { spawn } from 'node:child_process';
import path from 'node:path';

const MAIN = path.join(__dirname, '..', 'src', 'main.ts');

interface Run {
  code: number | null;
  stdout: string;
  stderr: string;
}

// Runs the real entry point under tsx, as `npm start`-style tooling does.
function start(args: string[], onStdout?: (text: string, kill: () => void) => void): Promise<Run> {
  return new Promise((resolve, reject) => {
    const child = spawn(process.execPath, ['--import', 'tsx', MAIN, ...args], {
      cwd: path.join(__dirname, '..'),
      env: { ...process.env, SIMULATOR_PORT: '' },
    });
    let stdout = '';
    let stderr = '';
    child.stdout.on('data', (chunk: Buffer) => {
      stdout += chunk.toString();
      onStdout?.(stdout, () => child.kill('SIGTERM'));
    });
    child.stderr.on('data', (chunk: Buffer) => {
      stderr += chunk.toString();
    });
    child.on('error', reject);
    child.on('close', (code) => resolve({ code, stdout, stderr }));
  });
}

describe('src/main.ts', () => {
  it('prints one line to stderr and exits 2 on a bad flag', async () => {
    const run = await start(['--rpm', 'lots']);
    expect(run.code).toBe(2);
    expect(run.stderr).toBe('simulator: --rpm: expected an integer >= 1, got "lots"\n');
    expect(run.stdout).toBe('');
  });

  it('starts, prints the URL and the exports, serves, and exits 0 on SIGTERM', async () => {
    let served: Promise<unknown> | undefined;
    const run = await start(['--port', '0', '--rpm', '100'], (stdout, kill) => {
      const url = /listening on (http:\/\/\S+)/.exec(stdout)?.[1];
      if (!url || served || !stdout.includes('ANTHROPIC_BASE_URL')) return;
      served = fetch(`${url}/_sim/health`)
        .then((r) => r.json())
        .finally(kill);
    });
    expect(await served).toEqual({ ok: true });
    expect(run.code).toBe(0);
    expect(run.stdout).toMatch(
      /^Switchyard simulator listening on http:\/\/127\.0\.0\.1:(\d+)\nexport OPENAI_BASE_URL=http:\/\/127\.0\.0\.1:\1\/v1 ANTHROPIC_BASE_URL=http:\/\/127\.0\.0\.1:\1\n$/,
    );
    expect(run.stderr).toBe('');
  });
});
