/**
 * Waits for `work` at most `ms`: resolves true once it settles (fulfilled or rejected, which the
 * caller has chosen not to care about), false when the time is up first. Never rejects, and its
 * timer does not keep the process alive: made for shutdown steps that must not hang a stop.
 */
export function settlesWithin(work: Promise<unknown>, ms: number): Promise<boolean> {
  return new Promise((resolve) => {
    const timer = setTimeout(() => resolve(false), ms);
    timer.unref();
    const settled = () => {
      clearTimeout(timer);
      resolve(true);
    };
    work.then(settled, settled);
  });
}
