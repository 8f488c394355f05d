import { spawn } from 'node:child_process';
import { closeSync, openSync, readFileSync, rmSync } from 'node:fs';
import { tmpdir } from 'node:os';
import { join } from 'node:path';
import { StdoutLines } from '../src/stdout-lines';

test('the lines of a turn are written in order, whole, in one go', () => {
  const path = join(tmpdir(), `stdout-lines-${process.pid}.log`);
  const fd = openSync(path, 'w');
  try {
    const out = new StdoutLines(fd);
    out.write('{"msg":"one"}\n');
    out.write('{"msg":"two"}\n');
    // Gathered for the turn, then written together.
    expect(readFileSync(path, 'utf8')).toBe('');
    out.flush();
    expect(readFileSync(path, 'utf8')).toBe('{"msg":"one"}\n{"msg":"two"}\n');
  } finally {
    closeSync(fd);
    rmSync(path, { force: true });
  }
});

test('a process whose stdout reader is gone still logs, stops and exits at once', async () => {
  // A child that logs through the factory, waits for its reader to go, logs again, then exits:
  // with pino's default destination the exit-time flush hung for ever on EPIPE.
  const script = `
    const { createLogger } = require(${JSON.stringify(join(__dirname, '../src'))});
    const logger = createLogger('probe');
    logger.info('before');
    process.stdin.once('data', () => {
      for (let i = 0; i < 100; i++) logger.info({ i }, 'after the reader left');
      process.exit(7);
    });
  `;
  const child = spawn(process.execPath, ['--require', require.resolve('tsx/cjs'), '-e', script], {
    stdio: ['pipe', 'pipe', 'inherit'],
  });
  const exited = new Promise((resolve) =>
    child.once('exit', (code, signal) => resolve({ code, signal })),
  );
  await new Promise<void>((resolve) => child.stdout!.once('data', () => resolve()));
  child.stdout!.destroy(); // the reader goes away, as a killed launcher's pipe does
  child.stdin!.end('go');
  expect(await exited).toEqual({ code: 7, signal: null });
});
