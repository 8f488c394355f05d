import type { ProviderRequest } from '../types';

/** Used when a job sets no `max_tokens`; real usage replaces the estimate after the call. */
export const DEFAULT_OUTPUT_ESTIMATE = 1_024;

/**
 * Tokens a call may use, known before it is made: about four characters per prompt token (the
 * usual rule for English with BPE tokenizers) plus the most it may write.
 */
export function estimateTokens(request: ProviderRequest): number {
  return estimatePromptTokens(request) + (request.maxTokens ?? DEFAULT_OUTPUT_ESTIMATE);
}

/** The prompt's part of the estimate: about four characters a token, four more per message. */
export function estimatePromptTokens(request: Pick<ProviderRequest, 'messages'>): number {
  let chars = 0;
  for (const message of request.messages) chars += message.content.length + 4;
  return Math.ceil(chars / 4);
}
