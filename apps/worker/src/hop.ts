import { type ModelPrice, priceOf, type Settings } from '@switchyard/config';
import { type ModelRef, parseModelRef } from '@switchyard/core';
import type { JobRecord } from '@switchyard/queue';

/** The model of a job's chain being tried, parsed once for the whole run step. */
export interface Hop {
  /** `provider/model` as the chain names it (the price table's and the metrics' key). */
  entry: string;
  target: ModelRef;
  /** Undefined when the config has no price for it (unknown is not free). */
  price: ModelPrice | undefined;
}

/** The hop a record is at. Chains are built from validated `provider/model` references. */
export function currentHop(record: JobRecord, settings: Pick<Settings, 'models'>): Hop {
  const entry = record.chain[record.hop]!;
  return { entry, target: parseModelRef(entry)!, price: priceOf(settings, entry) };
}
