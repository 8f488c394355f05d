/**
 * Live progress on stderr for a terminal: one line redrawn in place (`\r` + erase to end of
 * line), so stdout stays clean for the result. Created only when {@link Output.live} is true;
 * piped output and --json never see a control character.
 */
import type { OutStream } from './output';

const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];
/** Redraw interval: fast enough to look alive, slow enough not to flood a slow terminal. */
const TICK_MS = 80;
const ERASE_LINE = '\x1b[K';

export interface Progress {
  /** Erases the line; call before printing anything else to stderr, and when done. */
  stop(): void;
}

/** A spinner followed by `label()` and the seconds since it started, e.g. `⠙ job_… running 2.4s`. */
export function startSpinner(stderr: OutStream, label: () => string): Progress {
  const started = Date.now();
  let frame = 0;
  const draw = () => {
    const seconds = ((Date.now() - started) / 1_000).toFixed(1);
    stderr.write(`\r${FRAMES[frame++ % FRAMES.length]} ${label()} ${seconds}s${ERASE_LINE}`);
  };
  draw();
  const timer = setInterval(draw, TICK_MS);
  return {
    stop: () => {
      clearInterval(timer);
      stderr.write(`\r${ERASE_LINE}`);
    },
  };
}

const BAR_WIDTH = 30;

/** `[█████░░░░░] 12/40 done` from a fraction's parts; an empty total draws an empty bar. */
export function progressBar(done: number, total: number): string {
  const filled = total > 0 ? Math.round((Math.min(done, total) / total) * BAR_WIDTH) : 0;
  return `[${'█'.repeat(filled)}${'░'.repeat(BAR_WIDTH - filled)}] ${done}/${total} done`;
}
