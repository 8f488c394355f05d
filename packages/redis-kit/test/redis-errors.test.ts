import { isRedisOutOfMemoryError, isRedisUnavailableError } from '../src';

test.each([
  "Stream isn't writeable and enableOfflineQueue options is false",
  'Connection is closed.',
  'Command timed out',
  'connect ECONNREFUSED 127.0.0.1:6379',
  'BUSY Redis is busy running a script. You can only call SCRIPT KILL or SHUTDOWN NOSAVE.',
  "OOM command not allowed when used memory > 'maxmemory'.",
  'MISCONF Redis is configured to save RDB snapshots, but it is currently not able to persist on disk.',
  'LOADING Redis is loading the dataset in memory',
  "READONLY You can't write against a read only replica.",
])('%s means Redis is unavailable', (message) => {
  expect(isRedisUnavailableError(new Error(message))).toBe(true);
});

test.each([
  'ERR wrong number of arguments for ‘hget’ command',
  'NOSCRIPT No matching script',
  'WRONGTYPE Operation against a key holding the wrong kind of value',
  'ERR Error running script: user_script:1: Script attempted to access nonexistent global variable',
])('%s is a bug, not an outage', (message) => {
  expect(isRedisUnavailableError(new Error(message))).toBe(false);
});

test('only errors count', () => {
  expect(isRedisUnavailableError('Connection is closed')).toBe(false);
});

test('an OOM reply is told apart from an outage: the store is full, not away', () => {
  expect(
    isRedisOutOfMemoryError(new Error("OOM command not allowed when used memory > 'maxmemory'.")),
  ).toBe(true);
  expect(isRedisOutOfMemoryError(new Error('Connection is closed.'))).toBe(false);
  expect(isRedisOutOfMemoryError(new Error('ERR OOM in a message'))).toBe(false);
});
