import pino from 'pino';

type Serialized = Record<string, unknown>;

/** The prototype pino gives every serialized error, nested ones included. */
const SERIALIZED_ERROR = Object.getPrototypeOf(pino.stdSerializers.err(new Error())) as object;

const isSerializedError = (value: unknown): value is Serialized =>
  typeof value === 'object' && value !== null && Object.getPrototypeOf(value) === SERIALIZED_ERROR;

/**
 * Drops what a Redis client attaches to its errors. ioredis sets `command: {name, args}` on every
 * error a command ends with (reply errors, aborts on a lost connection): the args of `AUTH` are
 * the password, and those of our job scripts are the whole job record, prompt and output
 * included. The command's name stays, which is what a reader needs.
 */
function scrub(serialized: Serialized): Serialized {
  for (const [key, value] of Object.entries(serialized)) {
    if (key === 'command' && typeof value === 'object' && value !== null) {
      serialized[key] = { name: (value as { name?: unknown }).name };
    } else if (isSerializedError(value)) {
      scrub(value);
    } else if (key === 'aggregateErrors' && Array.isArray(value)) {
      for (const item of value) if (isSerializedError(item)) scrub(item);
    }
  }
  return serialized;
}

/**
 * pino's error serializer (type, message, stack, causes, own fields) without the fields known to
 * carry secrets or job text. The serialized copy is changed, never the error itself.
 */
export function serializeError(error: unknown): unknown {
  const serialized: unknown = pino.stdSerializers.err(error as Error);
  return isSerializedError(serialized) ? scrub(serialized) : serialized;
}
