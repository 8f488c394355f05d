import { z } from 'zod';
import { parseDuration } from '../duration';
import { Message } from './message';

/** Longest `cancel_after` accepted: a job is not a cron. */
export const MAX_CANCEL_AFTER_MS = 7 * 86_400_000;

/** `provider/model` or a route alias; validated against the config by the API, not here. */
export const ModelName = z
  .string()
  .min(1)
  .max(200)
  .regex(/^[A-Za-z0-9][\w.:@-]*(\/[\w.:@/-]+)?$/, 'must be "provider/model" or a route alias');

export const Priority = z.enum(['interactive', 'batch']);
export type Priority = z.infer<typeof Priority>;

export const WebhookEventKind = z.enum(['start', 'completed']);
export type WebhookEventKind = z.infer<typeof WebhookEventKind>;

export const JobInput = z
  .strictObject({
    messages: z.array(Message).min(1).max(2_000),
    max_tokens: z.number().int().min(1).max(1_000_000).optional(),
    temperature: z.number().min(0).max(2).optional(),
    top_p: z.number().min(0).max(1).optional(),
    stop: z.union([z.string().min(1), z.array(z.string().min(1)).min(1).max(4)]).optional(),
  })
  .meta({ id: 'JobInput' });
export type JobInput = z.infer<typeof JobInput>;

export const CancelAfter = z.string().refine((text) => {
  const ms = parseDuration(text);
  return ms !== undefined && ms >= 1_000 && ms <= MAX_CANCEL_AFTER_MS;
}, 'must be a duration between 1s and 7d, like "30s", "10m" or "1h30m"');

/** Stripe's metadata limits: small enough to index, large enough to correlate. */
export const Metadata = z
  .record(z.string().min(1).max(40), z.string().max(500))
  .refine((record) => Object.keys(record).length <= 50, 'at most 50 keys');
export type Metadata = z.infer<typeof Metadata>;

/** The body of `POST /v1/jobs`. Only `model` and `input.messages` are required. */
export const JobRequest = z
  .strictObject({
    model: ModelName,
    input: JobInput,
    fallbacks: z.array(ModelName).max(5).default([]),
    webhook: z
      .url({ protocol: /^https?$/, error: 'must be an http or https URL' })
      .max(2_048)
      .optional(),
    webhook_events_filter: z.array(WebhookEventKind).min(1).default(['completed']),
    priority: Priority.default('interactive'),
    cache: z.boolean().default(true),
    cancel_after: CancelAfter.optional(),
    metadata: Metadata.default({}),
  })
  .meta({ id: 'JobRequest' });
export type JobRequest = z.infer<typeof JobRequest>;
/** What a client may send: every defaulted field optional. */
export type JobRequestInput = z.input<typeof JobRequest>;
