/** Longest piece of a client's input an error message quotes. */
export const MAX_ECHO_CHARS = 64;

/**
 * A piece of a client's input as an error may quote it: at most `max` characters, the cut
 * marked with an ellipsis. Errors quote what they refuse so the client can find it, but a
 * megabyte key must not come back as a megabyte message (nor a log line of one).
 */
export function clip(text: string, max = MAX_ECHO_CHARS): string {
  if (text.length <= max) return text;
  // Never split a surrogate pair: half of one is not a character.
  const end = /[\uD800-\uDBFF]/.test(text[max - 2] ?? '') ? max - 2 : max - 1;
  return `${text.slice(0, end)}…`;
}

/** `clip` inside double quotes, as JSON would write it, for names in messages. */
export function quoted(text: string, max = MAX_ECHO_CHARS): string {
  return JSON.stringify(clip(text, max));
}
