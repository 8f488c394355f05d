import { boardItemData } from '../src/board/board-item-data';
import { redactUrl, redactUrls } from '../src/board/redact-urls';

describe('redactUrl', () => {
  test.each([
    ['https://hooks.example.com', 'https://hooks.example.com'],
    ['https://hooks.example.com/', 'https://hooks.example.com'],
    ['https://user:pass@hooks.example.com/', 'https://hooks.example.com/[redacted]'],
    ['https://hooks.example.com/?token=abc', 'https://hooks.example.com/[redacted]'],
    ['https://hooks.example.com/#frag', 'https://hooks.example.com/[redacted]'],
    ['https://hooks.slack.com/services/T0/B0/XXXX', 'https://hooks.slack.com/[redacted]'],
    ['http://127.0.0.1:8080/hooks?sig=1', 'http://127.0.0.1:8080/[redacted]'],
  ])('%s is shown as %s', (url, shown) => {
    expect(redactUrl(url)).toBe(shown);
  });

  test.each([
    'job_3kq8',
    'ten_abc',
    'msg_1.2',
    '{"type":"job.succeeded","data":{"urls":{"get":"https://api/v1/jobs/job_1"}}}',
    'mailto:someone@example.com',
    'urn:isbn:0451450523',
    '',
  ])('%j is not a web URL and stays as it is', (text) => {
    expect(redactUrl(text)).toBe(text);
  });
});

test('redactUrls redacts web URLs at any depth and leaves everything else alone', () => {
  const item = {
    deliveries: [
      {
        event: { id: 'msg_1', type: 'job.succeeded', job_id: 'job_1', at: 1 },
        tenant_id: 'ten_1',
        url: 'https://u:p@example.com/hook?token=t',
        body: '{"a":1}',
        attempt: 1,
      },
    ],
    nested: [['https://example.com/x'], null, true, 3],
  };
  expect(redactUrls(item)).toEqual({
    deliveries: [
      {
        event: { id: 'msg_1', type: 'job.succeeded', job_id: 'job_1', at: 1 },
        tenant_id: 'ten_1',
        url: 'https://example.com/[redacted]',
        body: '{"a":1}',
        attempt: 1,
      },
    ],
    nested: [['https://example.com/[redacted]'], null, true, 3],
  });
  expect(redactUrls(undefined)).toBeUndefined();
});

test('board item data: job text reduced to its size, URLs redacted, everything else kept', () => {
  const body = JSON.stringify({ type: 'job.succeeded', data: { output: { text: 'secret plan' } } });
  expect(
    boardItemData({
      deliveries: [
        { url: 'https://hooks.example.com/T000/B000/XXXX', body, attempt: 2, tenant_id: 'ten_1' },
      ],
    }),
  ).toEqual({
    deliveries: [
      {
        url: 'https://hooks.example.com/[redacted]',
        body: `[${Buffer.byteLength(body)} bytes of job data, not shown]`,
        attempt: 2,
        tenant_id: 'ten_1',
      },
    ],
  });
  expect(boardItemData({ jobId: 'job_1', tenantId: 'ten_1' })).toEqual({
    jobId: 'job_1',
    tenantId: 'ten_1',
  });
});
