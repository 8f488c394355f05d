/**
 * A configuration mistake, or a dependency start-up finds unfit (an unreachable or evicting
 * Redis). Its message is one line naming the variable or config path and what is wrong, ready to
 * print at start-up before exiting; it never holds a secret value.
 */
export class ConfigError extends Error {
  constructor(message: string) {
    super(message);
    this.name = 'ConfigError';
  }
}
