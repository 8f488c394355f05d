import { createLogger, MemoryLines } from '../src';

/** An error as ioredis leaves it (DataHandler.returnError): the command and its arguments. */
function redisError(message: string, name: string, args: string[]): Error {
  return Object.assign(new Error(message), { command: { name, args } });
}

test('a Redis error keeps its command name and loses its arguments', () => {
  const sink = new MemoryLines();
  const error = redisError('WRONGPASS invalid username-password pair', 'auth', ['hunter2']);
  createLogger('worker', 'info', sink).error({ err: error }, 'redis failed');
  expect(sink.lines[0]!.err).toEqual({
    type: 'Error',
    message: 'WRONGPASS invalid username-password pair',
    stack: expect.stringContaining('WRONGPASS') as unknown,
    command: { name: 'auth' },
  });
  // The error itself is untouched: whoever holds it still sees what failed.
  expect(error).toMatchObject({ command: { name: 'auth', args: ['hunter2'] } });
});

test('nested and aggregated errors lose their command arguments too', () => {
  const sink = new MemoryLines();
  const inner = redisError('Command aborted due to connection close', 'evalsha', ['{"prompt"}']);
  const outer = Object.assign(new Error('job failed'), {
    lastNodeError: inner,
  });
  const aggregate = new AggregateError([inner], 'all failed');
  const logger = createLogger('worker', 'info', sink);
  logger.error({ err: outer }, 'one');
  logger.error({ err: aggregate }, 'two');
  expect(sink.lines.map((line) => JSON.stringify(line))).toEqual([
    expect.not.stringContaining('prompt'),
    expect.not.stringContaining('prompt'),
  ]);
  expect(sink.lines[0]!.err).toMatchObject({ lastNodeError: { command: { name: 'evalsha' } } });
  expect(sink.lines[1]!.err).toMatchObject({
    aggregateErrors: [{ command: { name: 'evalsha' } }],
  });
});

test('an error logged as the first argument is serialized the same way', () => {
  const sink = new MemoryLines();
  createLogger('api', 'info', sink).error(redisError('NOAUTH', 'info', ['secret-arg']));
  expect(sink.lines[0]).toMatchObject({ err: { command: { name: 'info' } } });
  expect(JSON.stringify(sink.lines[0])).not.toContain('secret-arg');
});

test('a value that is not an error is logged as it is', () => {
  const sink = new MemoryLines();
  createLogger('api', 'info', sink).error({ err: 'plain text' }, 'odd');
  expect(sink.lines[0]!.err).toBe('plain text');
});
