import { UsageGroupBy } from '@switchyard/core';
import { type Command, stringFlag } from '../command';
import { ExitCode } from '../exit-codes';
import { usageTable } from '../format/usage-format';
import { UsageError } from '../usage-error';

export const usageCommand: Command = {
  name: 'usage',
  args: '[--from DAY] [--to DAY] [--group-by model|day] [--json]',
  summary: 'requests, tokens, cost, cache savings',
  flags: [
    ['--from DAY', 'first day (YYYY-MM-DD or an ISO time), default the 1st of --to’s month'],
    ['--to DAY', 'last day, included, default today (UTC)'],
    ['--group-by G', 'model (default) or day'],
  ],
  notes: 'Prints a table: one row per model or day, then the totals.',
  options: { from: { type: 'string' }, to: { type: 'string' }, 'group-by': { type: 'string' } },
  run: async ({ values, out, client }) => {
    const groupBy = stringFlag(values, 'group-by');
    const parsed = groupBy === undefined ? undefined : UsageGroupBy.safeParse(groupBy);
    if (parsed && !parsed.success)
      throw new UsageError(`--group-by must be model or day, not "${groupBy}"`);
    const report = await client().usage({
      from: stringFlag(values, 'from'),
      to: stringFlag(values, 'to'),
      groupBy: parsed?.data,
    });
    if (out.json) out.data(report);
    else out.print(usageTable(report, out.out.bind(out)));
    return ExitCode.ok;
  },
};
