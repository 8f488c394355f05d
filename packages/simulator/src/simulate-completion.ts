import { createHash } from 'node:crypto';
import { stripDirectives } from './directives';
import { Prng } from './prng';
import { countTokens, tokenEnds } from './tokenizer';
import { WORDS } from './word-list';

/** A chat message with its content already flattened to text. */
export interface SimMessage {
  role: string;
  content: string;
}

export interface SimulationInput {
  model: string;
  /** Anthropic's `system` goes first as `{ role: 'system' }`; content parts joined with "\n". */
  messages: readonly SimMessage[];
  /** The request's output cap (`max_tokens` / `max_completion_tokens`); none if omitted. */
  maxTokens?: number;
}

export interface SimulatedCompletion {
  text: string;
  finishReason: 'stop' | 'length';
  inputTokens: number;
  outputTokens: number;
}

const MIN_WORDS = 8;
const MAX_WORDS = 60;
const TOKENS_PER_MESSAGE = 3;

/**
 * The answer the simulator gives, as a pure function, so tests anywhere can compute the exact
 * text and usage they should see. `[[sim: …]]` directives are removed first, so they never
 * change the answer.
 */
export function simulateCompletion(input: SimulationInput): SimulatedCompletion {
  const messages = input.messages.map((m) => ({
    role: m.role,
    content: stripDirectives(m.content),
  }));
  let inputTokens = 0;
  for (const m of messages) inputTokens += countTokens(m.content) + TOKENS_PER_MESSAGE;

  const natural = naturalText(input.model, messages);
  const ends = tokenEnds(natural);
  const max = input.maxTokens;
  if (max !== undefined && max < ends.length) {
    const text = max <= 0 ? '' : natural.slice(0, ends[max - 1]);
    return { text, finishReason: 'length', inputTokens, outputTokens: Math.max(0, max) };
  }
  return { text: natural, finishReason: 'stop', inputTokens, outputTokens: ends.length };
}

function naturalText(model: string, messages: readonly SimMessage[]): string {
  const digest = createHash('sha256')
    .update(JSON.stringify([model, messages.map((m) => [m.role, m.content])]))
    .digest();
  const prng = Prng.fromBytes(digest);
  const wordCount = MIN_WORDS + prng.int(MAX_WORDS - MIN_WORDS + 1);
  let text = '';
  let sentenceLeft = 0;
  for (let i = 0; i < wordCount; i++) {
    const starts = sentenceLeft === 0;
    if (starts) sentenceLeft = 4 + prng.int(9);
    let word = WORDS[prng.int(WORDS.length)] ?? 'the';
    if (starts) word = word.charAt(0).toUpperCase() + word.slice(1);
    sentenceLeft--;
    const last = i === wordCount - 1;
    if (sentenceLeft === 0 || last) word += '.';
    else if (prng.next() < 0.12) word += ',';
    text += i === 0 ? word : ` ${word}`;
  }
  return text;
}
