/**
 * Usage reports (`GET /api/v1/usage`): the query the gateway validates (and billing again), and the
 * report billing answers from its usage projection of the event log.
 */
import { z } from 'zod';

/** What a usage report groups its rows by. */
export const USAGE_GROUP_BY = ['workflow', 'agent', 'model', 'day'] as const;
export type UsageGroupBy = (typeof USAGE_GROUP_BY)[number];

/** The longest period one report may cover (366 days). */
export const USAGE_MAX_RANGE_MS = 366 * 24 * 3600_000;
/** The period a report covers when the query names no `from` (30 days before `to`). */
export const USAGE_DEFAULT_RANGE_MS = 30 * 24 * 3600_000;

const isoTime = z.iso.datetime({ offset: true });

/**
 * `from` (inclusive) and `to` (exclusive) bound the runs' `startedAt`; `to` defaults to now and
 * `from` to 30 days before `to`. `from` after `to`, or a period longer than 366 days, is refused
 * naming `query.to` (`query.from` when only `from` is given).
 */
export const usageQuerySchema = z
  .strictObject({
    from: isoTime.optional(),
    to: isoTime.optional(),
    groupBy: z.enum(USAGE_GROUP_BY).default('day'),
  })
  .superRefine((q, ctx) => {
    const to = q.to === undefined ? Date.now() : Date.parse(q.to);
    const from = q.from === undefined ? to - USAGE_DEFAULT_RANGE_MS : Date.parse(q.from);
    const path = q.to === undefined ? ['from'] : ['to'];
    if (from > to) {
      const message = q.to === undefined ? 'must not be later than now (to defaults to now)' : 'must not be earlier than from';
      ctx.addIssue({ code: 'custom', path, message });
    } else if (to - from > USAGE_MAX_RANGE_MS)
      ctx.addIssue({ code: 'custom', path, message: 'the period may cover 366 days at most' });
  });
export type UsageQuery = z.output<typeof usageQuerySchema>;

/** One group of a usage report. Costs in credit micro-units, durations in ms. */
export const usageRowSchema = z.object({
  /** The workflow id, the agent id, the model name, or the UTC day (`YYYY-MM-DD`). */
  key: z.string(),
  /** Runs started in the period that belong to the group (used the agent or model, for those). */
  runs: z.number().int(),
  succeeded: z.number().int(),
  failed: z.number().int(),
  cancelled: z.number().int(),
  /** succeeded / (succeeded + failed + cancelled); null while none of the group's runs has ended. */
  successRate: z.number().nullable(),
  /** Mean duration of the group's ended runs; null while none has ended. */
  avgDurationMs: z.number().nullable(),
  /** Node completions that used tokens or cost credits (agent calls, priced tools) in the group. */
  calls: z.number().int(),
  inputTokens: z.number().int(),
  outputTokens: z.number().int(),
  /** Sum of the counted nodes' `cost`. */
  cost: z.number().int(),
});
export type UsageRow = z.infer<typeof usageRowSchema>;

export const usageReportSchema = z.object({
  from: z.string(),
  to: z.string(),
  groupBy: z.enum(USAGE_GROUP_BY),
  /** Ordered by key. */
  items: z.array(usageRowSchema),
  totals: usageRowSchema.omit({ key: true }),
});
export type UsageReport = z.infer<typeof usageReportSchema>;

/** The resolved period of a valid query (ISO-8601, ms precision). */
export function usagePeriod(q: Pick<UsageQuery, 'from' | 'to'>, now: number = Date.now()): { from: string; to: string } {
  const to = q.to === undefined ? now : Date.parse(q.to);
  const from = q.from === undefined ? to - USAGE_DEFAULT_RANGE_MS : Date.parse(q.from);
  return { from: new Date(from).toISOString(), to: new Date(to).toISOString() };
}
