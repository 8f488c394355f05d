/**
 * The process IDs of every child the bench has started and not yet seen exit. Scopes stop their
 * children politely; this is the last resort for an exit that skips them (a crash of the bench
 * itself, a second Ctrl-C): at `exit`, whatever is still alive gets SIGKILL, which a synchronous
 * exit handler can still send.
 */
const live = new Set<number>();

export function trackProcess(pid: number | undefined, exited: Promise<unknown>): void {
  if (pid === undefined) return;
  live.add(pid);
  void exited.then(() => live.delete(pid));
}

export function killLiveProcesses(): number[] {
  const killed: number[] = [];
  for (const pid of live) {
    try {
      process.kill(pid, 'SIGKILL');
      killed.push(pid);
    } catch {
      // Already gone.
    }
  }
  live.clear();
  return killed;
}
