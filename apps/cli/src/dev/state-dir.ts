import { existsSync, mkdirSync, readFileSync, rmSync, writeFileSync } from 'node:fs';
import { join, resolve } from 'node:path';

/** `npm start`'s folder (SWITCHYARD_DATA_DIR): Redis data, the admin token, the dev tenant. */
export class StateDir {
  readonly path: string;

  constructor(dir: string) {
    this.path = resolve(dir);
    mkdirSync(this.path, { recursive: true, mode: 0o700 });
  }

  file(name: string): string {
    return join(this.path, name);
  }

  read(name: string): string | undefined {
    const path = this.file(name);
    return existsSync(path) ? readFileSync(path, 'utf8').trim() : undefined;
  }

  /** Written owner-only: these files hold secrets. */
  write(name: string, content: string): void {
    writeFileSync(this.file(name), `${content}\n`, { mode: 0o600 });
  }

  remove(name: string): void {
    rmSync(this.file(name), { force: true });
  }
}

/** True if a process with this PID is alive (signal 0 checks without signalling). */
export function isAlive(pid: number): boolean {
  try {
    process.kill(pid, 0);
    return true;
  } catch (error) {
    return (error as NodeJS.ErrnoException).code === 'EPERM';
  }
}
