import { parseSimulatorArgs } from '../src/index';

describe('parseSimulatorArgs', () => {
  it('defaults to port 8090 on 127.0.0.1, or SIMULATOR_PORT', () => {
    expect(parseSimulatorArgs([], {})).toEqual({ port: 8090, host: '127.0.0.1' });
    expect(parseSimulatorArgs([], { SIMULATOR_PORT: '9000' })).toEqual({
      port: 9000,
      host: '127.0.0.1',
    });
    expect(parseSimulatorArgs(['--port', '0'], { SIMULATOR_PORT: '9000' }).port).toBe(0);
  });

  it('parses every flag, in both --flag value and --flag=value forms', () => {
    expect(
      parseSimulatorArgs(
        [
          '--port=8123',
          '--host',
          '0.0.0.0',
          '--latency',
          'lognormal:800ms:3s',
          '--token-latency',
          '20ms',
          '--rpm',
          '60',
          '--tpm=90000',
          '--window',
          '1s:10',
          '--window=1m::5000',
          '--fault',
          '500=0.01,529=0.005',
          '--fault',
          'hang=0.001',
          '--seed',
          '42',
          '--context-window',
          '8192',
          '--models',
          'gpt-4o,claude-test',
          '--call-log-size',
          '500',
        ],
        {},
      ),
    ).toEqual({
      port: 8123,
      host: '0.0.0.0',
      latency: { kind: 'lognormal', medianMs: 800, p99Ms: 3000 },
      tokenLatencyMs: 20,
      limits: {
        rpm: 60,
        tpm: 90_000,
        windows: [
          { windowMs: 1000, requests: 10 },
          { windowMs: 60_000, tokens: 5000 },
        ],
      },
      faults: { '500': 0.01, '529': 0.005, hang: 0.001 },
      seed: 42,
      contextWindow: 8192,
      models: ['gpt-4o', 'claude-test'],
      callLogSize: 500,
    });
  });

  it.each([
    ['800ms', { kind: 'fixed', ms: 800 }],
    ['2s', { kind: 'fixed', ms: 2000 }],
    ['150', { kind: 'fixed', ms: 150 }],
    ['uniform:200ms:2s', { kind: 'uniform', minMs: 200, maxMs: 2000 }],
    ['lognormal:1s:1.5s', { kind: 'lognormal', medianMs: 1000, p99Ms: 1500 }],
  ])('--latency %s', (value, latency) => {
    expect(parseSimulatorArgs(['--latency', value], {}).latency).toEqual(latency);
  });

  it.each([
    [
      ['--latency', 'soon'],
      '--latency: expected <duration>, uniform:<min>:<max> or lognormal:<median>:<p99>, got "soon"',
    ],
    [['--latency', 'uniform:2s:1s'], '--latency: uniform max is below min in "uniform:2s:1s"'],
    [
      ['--latency', 'lognormal:3s:1s'],
      '--latency: lognormal needs 0 < median <= p99, got "lognormal:3s:1s"',
    ],
    [['--rpm', 'many'], '--rpm: expected an integer >= 1, got "many"'],
    [['--rpm', '0'], '--rpm: expected an integer >= 1, got "0"'],
    [['--rpm'], '--rpm: missing value'],
    [['--port', '70000'], '--port: expected an integer 0..65535, got "70000"'],
    [
      ['--window', '1s'],
      '--window: expected <duration>:<requests>[:<tokens>] (no limit given), got "1s"',
    ],
    [
      ['--window', 'x:10'],
      '--window: expected <duration>:<requests>[:<tokens>] (bad duration), got "x:10"',
    ],
    [
      ['--fault', '418=0.1'],
      '--fault: unknown fault kind "418" (one of 500, 502, 503, 529, 429, insufficient_quota, 400, 401, 403, 404, 413, context_length, hang, reset, malformed)',
    ],
    [['--fault', '500=2'], '--fault: 500 needs a probability between 0 and 1, got "2"'],
    [
      ['--token-latency', 'fast'],
      '--token-latency: expected a duration like 800ms or 2s, got "fast"',
    ],
    [['--seed', '1.5'], '--seed: expected an integer, got "1.5"'],
    [['--verbose'], 'unknown flag --verbose (see --help)'],
    [['serve'], 'unexpected argument "serve"'],
  ])('rejects %j with one clear line', (argv, message) => {
    expect(() => parseSimulatorArgs(argv, {})).toThrow(new Error(message));
    expect(message).not.toContain('\n');
  });

  it('names SIMULATOR_PORT when the environment is wrong', () => {
    expect(() => parseSimulatorArgs([], { SIMULATOR_PORT: 'abc' })).toThrow(
      new Error('SIMULATOR_PORT: expected an integer 0..65535, got "abc"'),
    );
  });
});
