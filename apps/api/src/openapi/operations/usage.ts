import { MAX_USAGE_DAYS } from '@switchyard/core';
import { commonErrors, error, json, type OperationRegistry, tenantAuth } from './operation-parts';

/** The tenant's usage report. */
export const usageOperations: OperationRegistry = {
  'get /v1/usage': {
    summary:
      "The tenant's usage per model or per day: requests, tokens, cost, cache hits and cost saved",
    operationId: 'getUsage',
    tags: ['usage'],
    security: tenantAuth,
    parameters: [
      {
        name: 'from',
        in: 'query',
        schema: { type: 'string', example: '2026-12-01' },
        description:
          'First day (UTC), `YYYY-MM-DD` or an ISO 8601 time (its UTC day). Default: the first day of `to`’s month.',
      },
      {
        name: 'to',
        in: 'query',
        schema: { type: 'string', example: '2026-12-31' },
        description: `Last day, included; same formats. Default: today (UTC). At most ${MAX_USAGE_DAYS} days from \`from\`.`,
      },
      {
        name: 'group_by',
        in: 'query',
        schema: { type: 'string', enum: ['model', 'day'], default: 'model' },
      },
    ],
    responses: {
      '200': {
        description: 'Groups with any usage, and the totals of the range.',
        ...json('UsageReport'),
      },
      ...commonErrors,
      '400': error(
        `A date that is not one, \`from\` after \`to\`, a range over ${MAX_USAGE_DAYS} days, an unknown \`group_by\` or parameter; \`details\` names it.`,
      ),
      '403': error('The key lacks the `usage:read` scope.'),
    },
  },
};
