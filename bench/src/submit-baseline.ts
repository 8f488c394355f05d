import { JobRequest, newJobId } from '@switchyard/core';
import { Queue } from 'bullmq';
import express from 'express';
import { Redis } from 'ioredis';

// The baseline of the submit scenario: the least a submit can do. express parses the JSON body,
// zod validates it with the API's own schema, BullMQ's `queue.add` enqueues it on a Redis with
// the product's persistence (REDIS_URL), and the answer is a 202. No auth, rate limit, record,
// metrics or log line. Prints its port when listening.
const connection = new Redis(process.env.REDIS_URL!, { maxRetriesPerRequest: null });
const queue = new Queue('baseline', { connection });
const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/v1/jobs', (req, res, next) => {
  const parsed = JobRequest.safeParse(req.body);
  if (!parsed.success) {
    res.status(400).json({ error: { type: 'invalid_request', message: parsed.error.message } });
    return;
  }
  const id = newJobId();
  queue
    .add(
      'run',
      { jobId: id, model: parsed.data.model },
      { jobId: id, removeOnComplete: { age: 3_600, count: 5_000 } },
    )
    .then(() => res.status(202).json({ id, status: 'queued', model: parsed.data.model }), next);
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(
    `submit baseline listening on ${typeof address === 'object' && address ? address.port : 0}`,
  );
});
process.on('SIGTERM', () =>
  server.close(() => {
    void queue.close().finally(() => {
      connection.disconnect();
      process.exit(0);
    });
  }),
);
