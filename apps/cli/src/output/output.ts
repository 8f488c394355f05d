import { styleText } from 'node:util';

/** A stream the CLI writes to: process.stdout/stderr, or a test's stand-in. */
export interface OutStream {
  write(text: string): unknown;
  isTTY?: boolean;
}

/** The styles human output uses; each maps to terminal attributes in {@link STYLES}. */
export type Style = 'ok' | 'bad' | 'warn' | 'dim' | 'bold' | 'id';

const STYLES = new Map<Style, Parameters<typeof styleText>[0]>([
  ['ok', 'green'],
  ['bad', 'red'],
  ['warn', 'yellow'],
  ['dim', 'dim'],
  ['bold', 'bold'],
  ['id', 'cyan'],
]);

/**
 * Where a command's output goes, and in which form. With `--json` stdout carries exactly one JSON
 * document (or JSON lines) and nothing decorative is written anywhere: no progress, no colours.
 * Otherwise stdout carries the human result, stderr the notes and progress; each stream is
 * coloured only when it is a terminal and `NO_COLOR` is unset (https://no-color.org).
 */
export class Output {
  /** Whether stderr may show a live progress indicator (a terminal, and not --json). */
  readonly live: boolean;
  private readonly colorOut: boolean;
  private readonly colorErr: boolean;

  constructor(
    readonly json: boolean,
    readonly stdout: OutStream,
    readonly stderr: OutStream,
    env: NodeJS.ProcessEnv,
  ) {
    const colors = !json && !env.NO_COLOR;
    this.colorOut = colors && stdout.isTTY === true;
    this.colorErr = colors && stderr.isTTY === true;
    this.live = !json && stderr.isTTY === true;
  }

  /** The machine-readable result: pretty JSON on stdout. */
  data(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value, null, 2)}\n`);
  }

  /** One JSON value per line on stdout (streams of events or results). */
  jsonLine(value: unknown): void {
    this.stdout.write(`${JSON.stringify(value)}\n`);
  }

  /** Human result lines on stdout. */
  print(text: string): void {
    this.stdout.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** A note for the person at the terminal, on stderr (never part of the result). */
  note(text: string): void {
    this.stderr.write(text.endsWith('\n') ? text : `${text}\n`);
  }

  /** `text` styled for stdout (unchanged when stdout is not coloured). */
  out(style: Style, text: string): string {
    return this.colorOut ? styled(style, text) : text;
  }

  /** `text` styled for stderr. */
  err(style: Style, text: string): string {
    return this.colorErr ? styled(style, text) : text;
  }
}

function styled(style: Style, text: string): string {
  const format = STYLES.get(style);
  // Whether to colour is decided above, per stream; newer Node would otherwise check stdout only.
  return format ? styleText(format, text, { validateStream: false }) : text;
}
