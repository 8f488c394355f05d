import { Keys } from '../src';

// Key names are what a running deployment already holds: a change would orphan its data (its
// jobs, a tenant's spend, a provider's limit counters), so every family is pinned here.
const keys = new Keys('ns');

test('job store, tenancy and webhook keys and channels', () => {
  expect([
    keys.bullPrefix,
    keys.job('job_1'),
    keys.tenantJobs('ten_1'),
    keys.tenantJobsPrefix,
    keys.tenantJobsByStatus('ten_1', 'queued'),
    keys.pendingEnqueue,
    keys.expiring,
    keys.idempotency('ten_1', 'h'),
    keys.jobEvents('job_1'),
    keys.jobDeltas('job_1'),
    keys.jobStream('job_1'),
    keys.cancelChannel,
    keys.workers,
    keys.workerStatus('w1'),
    keys.tenant('ten_1'),
    keys.tenants,
    keys.apiKey('h'),
    keys.tenantApiKeys('ten_1'),
    keys.apiKeyPrefix('sk_ab'),
    keys.rateLimit('ten_1'),
    keys.monthlySpend('ten_1', '2026-12'),
    keys.dailyUsage('ten_1', '2026-12-01'),
    keys.webhookSecrets('ten_1'),
    keys.webhookOutbox,
    keys.webhookDeliveries('job_1'),
  ]).toEqual([
    'ns:bull',
    'ns:job:job_1',
    'ns:tenant-jobs:ten_1',
    'ns:tenant-jobs:',
    'ns:tenant-jobs:ten_1:queued',
    'ns:pending-enqueue',
    'ns:expiring',
    'ns:idem:ten_1:h',
    'ns:events:job_1',
    'ns:job-deltas:job_1',
    'ns:job-stream:job_1',
    'ns:cancel',
    'ns:workers',
    'ns:worker-status:w1',
    'ns:tenant:ten_1',
    'ns:tenants',
    'ns:apikey:h',
    'ns:tenant-keys:ten_1',
    'ns:apikey-prefix:sk_ab',
    'ns:ratelimit:ten_1',
    'ns:spend:ten_1:2026-12',
    'ns:usage:ten_1:2026-12-01',
    'ns:webhook-secrets:ten_1',
    'ns:webhook-outbox',
    'ns:webhook-deliveries:job_1',
  ]);
});

test('provider keys: cache, dedup, circuit and the limiter counters', () => {
  const onKey = { provider: 'openai', keyId: 'k1' };
  const onModel = { ...onKey, model: 'gpt-4o-mini' };
  expect([
    keys.responseCache('h'),
    keys.dedupLease('h'),
    keys.dedupDone('h'),
    keys.circuit('openai/gpt-4o-mini'),
    keys.limit(onKey, { kind: 'req', windowMs: 60_000 }),
    keys.limit(onKey, { kind: 'tok', windowMs: 60_000 }),
    keys.limit(onKey, { kind: 'inflight' }),
    keys.limit(onModel, { kind: 'req', windowMs: 1_000 }),
    keys.limit(onModel, { kind: 'hold' }),
  ]).toEqual([
    'ns:cache:h',
    'ns:inflight:h',
    'ns:inflight-done:h',
    'ns:circuit:openai/gpt-4o-mini',
    'ns:limit:openai:k1:req:60000',
    'ns:limit:openai:k1:tok:60000',
    'ns:limit:openai:k1:inflight',
    'ns:limit:openai:k1:gpt-4o-mini:req:1000',
    'ns:limit:openai:k1:gpt-4o-mini:hold',
  ]);
});
