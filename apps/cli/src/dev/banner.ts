export interface BannerInput {
  apiUrl: string;
  /** `/metrics` of the worker and of the webhook dispatcher (their own ports). */
  workerMetricsUrl: string;
  dispatcherMetricsUrl: string;
  adminToken: string;
  apiKey: string;
  redis: string;
  providers: string;
  model: string;
}

/** What `npm start` prints once everything is up: the URLs, the secrets, a curl that works. */
export function banner(input: BannerInput): string {
  const body = JSON.stringify({
    model: input.model,
    input: { messages: [{ role: 'user', content: 'Say hello to Switchyard in one sentence.' }] },
  });
  return `
Switchyard is running.

  API           ${input.apiUrl}
  API reference ${input.apiUrl}/docs
  Bull Board    ${input.apiUrl}/admin/queues  (user admin, the admin token as password)
  Metrics       ${input.apiUrl}/metrics  (api; admin token)
                ${input.workerMetricsUrl}  (worker)
                ${input.dispatcherMetricsUrl}  (webhook dispatcher)
  Redis         ${input.redis}
  Providers     ${input.providers}

  Admin token   ${input.adminToken}
  API key       ${input.apiKey}  (tenant "dev")

Submit a job and wait up to 30 s for its result:

curl -s ${input.apiUrl}/v1/jobs \\
  -H "Authorization: Bearer ${input.apiKey}" \\
  -H "Content-Type: application/json" \\
  -H "Prefer: wait=30" \\
  -d '${body}'

Press Ctrl-C to stop.
`;
}
