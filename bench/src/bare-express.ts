import express from 'express';

// The baseline of the submit scenario: express parsing the same JSON body and answering 202,
// with nothing behind it. Prints its port when listening.
const app = express();
app.use(express.json({ limit: '1mb' }));
app.post('/v1/jobs', (req, res) => {
  res
    .status(202)
    .json({ id: 'job_baseline', status: 'queued', model: (req.body as { model?: string }).model });
});
const server = app.listen(0, '127.0.0.1', () => {
  const address = server.address();
  console.log(
    `bare express listening on ${typeof address === 'object' && address ? address.port : 0}`,
  );
});
process.on('SIGTERM', () => server.close(() => process.exit(0)));
