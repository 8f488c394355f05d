/**
 * Why a config file does not parse, in words that never repeat the file's text. A value in the
 * wrong place may be a secret (an API key pasted where its variable's name belongs), and this
 * line is printed at start-up, into terminals, CI logs and log aggregators.
 */

/** V8's JSON messages that give a position and fixed words only. */
const JSON_POSITIONAL = /^[A-Za-z ',:\]}[{-]+ in JSON at position \d+( \(line \d+ column \d+\))?$/;

/**
 * A JSON parse error without the file's text. V8 quotes the text around an unexpected token
 * (`Unexpected token 's', "{"a":sk-live-…"… is not valid JSON`); those become "unexpected token".
 */
export function jsonSyntaxProblem(message: string): string {
  if (message === 'Unexpected end of JSON input' || JSON_POSITIONAL.test(message)) return message;
  return 'unexpected token';
}

/** The parts of a `yaml` error this reads. */
export interface YamlErrorLike {
  message: string;
  /** The error's kind (`BAD_INDENT`, `DUPLICATE_KEY`, …), on YAMLParseError. */
  code?: string;
  /** Where it is, 1-based, on YAMLParseError. */
  linePos?: ReadonlyArray<{ line: number; col: number }>;
}

/** The `yaml` package's fixed-words messages: `Map keys must be unique at line 2, column 1:`. */
const YAML_POSITIONAL = /^([^:]+ at line \d+, column \d+):?$/;

/**
 * A YAML parse error without the file's text. Most of the `yaml` package's messages are fixed
 * words and a position (only the first line is kept: the next ones quote the file); some end in
 * the text at fault (`Unresolved alias (…): <text>`), which is cut off, and a parse error whose
 * words carry text is named by its code and position instead.
 */
export function yamlSyntaxProblem(error: YamlErrorLike): string {
  const first = error.message.split('\n', 1)[0]!;
  const positional = YAML_POSITIONAL.exec(first);
  if (positional) return positional[1]!;
  const at = error.linePos?.[0];
  if (error.code !== undefined && at !== undefined) {
    return `${error.code} at line ${at.line}, column ${at.col}`;
  }
  return first.split(': ', 1)[0]!;
}
