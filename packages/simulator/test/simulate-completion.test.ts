import { countTokens, simulateCompletion } from '../src/index';

describe('countTokens', () => {
  it('counts word runs and single punctuation characters', () => {
    expect(countTokens('')).toBe(0);
    expect(countTokens('   ')).toBe(0);
    expect(countTokens('Hello')).toBe(1);
    expect(countTokens('Hello, world!')).toBe(4);
    expect(countTokens("don't stop_now 42")).toBe(5);
    expect(countTokens('a+b=c...')).toBe(8);
  });
});

describe('simulateCompletion', () => {
  const base = { model: 'gpt-4o', messages: [{ role: 'user', content: 'Hello there' }] };

  it('is deterministic and depends on model and messages', () => {
    const a = simulateCompletion(base);
    expect(simulateCompletion(base)).toEqual(a);
    expect(simulateCompletion({ ...base, model: 'gpt-4o-mini' }).text).not.toBe(a.text);
    expect(
      simulateCompletion({ ...base, messages: [{ role: 'user', content: 'Hello there!' }] }).text,
    ).not.toBe(a.text);
    expect(
      simulateCompletion({ ...base, messages: [{ role: 'system', content: 'Hello there' }] }).text,
    ).not.toBe(a.text);
  });

  it('reports usage from the tokenizer: 3 per message plus content tokens', () => {
    const messages = [
      { role: 'system', content: 'Be brief.' },
      { role: 'user', content: 'What is 2+2?' },
    ];
    const result = simulateCompletion({ model: 'm', messages });
    expect(result.inputTokens).toBe(3 + 3 + 3 + 6);
    expect(result.outputTokens).toBe(countTokens(result.text));
    expect(result.finishReason).toBe('stop');
  });

  it('writes between 8 and 60 words from the fixed vocabulary', () => {
    const lengths = new Set<number>();
    for (let i = 0; i < 300; i++) {
      const { text } = simulateCompletion({
        model: 'm',
        messages: [{ role: 'user', content: `prompt ${i}` }],
      });
      const words = text.split(' ');
      expect(words.length).toBeGreaterThanOrEqual(8);
      expect(words.length).toBeLessThanOrEqual(60);
      expect(text).toMatch(/^[A-Z][a-z]*[,.]?( [A-Za-z]+[,.]?)*$/);
      expect(text.endsWith('.')).toBe(true);
      lengths.add(words.length);
    }
    expect(lengths.size).toBeGreaterThan(30);
  });

  it('cuts the text at maxTokens and reports length', () => {
    const full = simulateCompletion(base);
    const cut = simulateCompletion({ ...base, maxTokens: 5 });
    expect(cut.finishReason).toBe('length');
    expect(cut.outputTokens).toBe(5);
    expect(countTokens(cut.text)).toBe(5);
    expect(full.text.startsWith(cut.text)).toBe(true);
    expect(cut.inputTokens).toBe(full.inputTokens);

    const exact = simulateCompletion({ ...base, maxTokens: full.outputTokens });
    expect(exact).toEqual(full);
  });

  it('ignores [[sim: …]] directives, so a directive never changes the answer', () => {
    const plain = simulateCompletion(base);
    for (const content of [
      'Hello there [[sim: fault=500 times=2]]',
      '[[sim: latency=5]] Hello there',
      'Hello [[sim: fault=hang]] there',
    ]) {
      expect(simulateCompletion({ ...base, messages: [{ role: 'user', content }] })).toEqual(plain);
    }
  });
});
