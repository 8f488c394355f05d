import { createHash } from 'node:crypto';
import { type SimMessage } from './simulate-completion';

/** Identity of a request for `times=n` counting and the call log: sha256 of model + messages. */
export function requestHash(model: string, messages: readonly SimMessage[]): string {
  return createHash('sha256')
    .update(JSON.stringify([model, messages.map((m) => [m.role, m.content])]))
    .digest('hex');
}
