import OpenAI from 'openai';

/** The OpenAI SDK pointed at the simulator, without retries: a baseline makes one call a job. */
export function simulatorClient(simulatorUrl: string, fetch?: typeof globalThis.fetch): OpenAI {
  return new OpenAI({
    apiKey: 'sk-bench',
    baseURL: `${simulatorUrl}/v1`,
    maxRetries: 0,
    ...(fetch && { fetch }),
  });
}

/**
 * One call, as the bench's jobs make it (a fresh prompt per index: no cache could answer it).
 * Resolves false if the call failed: on a starved machine a connection can be reset, and a
 * baseline counts that rather than losing every figure of its scenario.
 */
export async function callOnce(client: OpenAI, index: number): Promise<boolean> {
  try {
    await client.chat.completions.create({
      model: 'gpt-4o-mini',
      messages: [{ role: 'user', content: `Benchmark job ${index}` }],
      max_completion_tokens: 16,
    });
    return true;
  } catch {
    return false;
  }
}
