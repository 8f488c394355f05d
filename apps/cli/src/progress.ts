const FRAMES = ['⠋', '⠙', '⠹', '⠸', '⠼', '⠴', '⠦', '⠧', '⠇', '⠏'];

/**
 * A one-line spinner on stderr while waiting (stdout stays clean for the result); a no-op when
 * stderr is not a terminal, so piped output has no control characters.
 */
export function startProgress(label: () => string): () => void {
  if (!process.stderr.isTTY) return () => undefined;
  const started = Date.now();
  let frame = 0;
  const timer = setInterval(() => {
    const seconds = ((Date.now() - started) / 1_000).toFixed(1);
    process.stderr.write(`\r${FRAMES[frame++ % FRAMES.length]} ${label()} ${seconds}s\x1b[K`);
  }, 80);
  return () => {
    clearInterval(timer);
    process.stderr.write('\r\x1b[K');
  };
}
