import { execFileSync } from 'node:child_process';
import { mkdirSync, writeFileSync } from 'node:fs';
import { cpus, loadavg, totalmem } from 'node:os';
import { join } from 'node:path';
import { REPO } from './child';
import type { ScenarioResult } from './runner';

export const RESULTS_FILE = join(REPO, 'bench/results/latest.json');

/** Where a run happened: what makes its absolute figures comparable (or not) with another's. */
export function describeMachine() {
  const cores = cpus();
  return {
    cpus: cores.length,
    cpuModel: cores[0]?.model ?? 'unknown',
    memoryBytes: totalmem(),
    platform: `${process.platform} ${process.arch}`,
    node: process.version,
    /** 1-minute load average when the run started: others' work shares these cores. */
    loadAverageAtStart: Math.round(loadavg()[0]! * 100) / 100,
  };
}

/** The commit measured, and whether the worktree had changes on top of it. */
export function describeCommit(): { sha: string; dirty: boolean } | null {
  try {
    const git = (...args: string[]) =>
      execFileSync('git', args, {
        cwd: REPO,
        encoding: 'utf8',
        stdio: ['ignore', 'pipe', 'ignore'],
      });
    return {
      sha: git('rev-parse', 'HEAD').trim(),
      dirty: git('status', '--porcelain').trim() !== '',
    };
  } catch {
    return null; // not a git checkout (an unpacked tarball)
  }
}

export interface RunResults {
  date: string;
  command: string;
  machine: ReturnType<typeof describeMachine>;
  commit: ReturnType<typeof describeCommit>;
  scenarios: ScenarioResult[];
  /** Unhandled errors raised while no scenario ran (between two, or after the last). */
  strayErrors: string[];
  /** Scenarios asked for but not run (the bench was interrupted first). */
  notRun: string[];
}

/** Writes `results` to bench/results/latest.json (replacing the last run's). */
export function writeResults(results: RunResults): string {
  mkdirSync(join(REPO, 'bench/results'), { recursive: true });
  writeFileSync(RESULTS_FILE, `${JSON.stringify(results, null, 2)}\n`);
  return RESULTS_FILE;
}
