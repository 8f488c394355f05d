import { type UsageGroupBy, UsageReport } from '@switchyard/core';
import type { Transport } from './transport';

export interface UsageOptions {
  /** First day, `YYYY-MM-DD` (UTC). @defaultValue the API's: the first day of this month */
  from?: string;
  /** Last day, included. @defaultValue the API's: today */
  to?: string;
  /** @defaultValue the API's: 'model' */
  groupBy?: UsageGroupBy;
}

/** `GET /v1/usage`: requests, tokens, cost, cache hits and cost saved, per group and in total. */
export function getUsage(transport: Transport, options: UsageOptions = {}): Promise<UsageReport> {
  const { from, to, groupBy } = options;
  return transport.json(UsageReport, {
    method: 'GET',
    path: '/v1/usage',
    query: { from, to, group_by: groupBy },
  });
}
