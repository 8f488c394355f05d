import {
  ConflictError,
  ConnectionError,
  InternalServerError,
  NotFoundError,
  ServiceUnavailableError,
  TimeoutError,
} from '@switchyard/sdk';
import { errorLine } from '../src/error-line';
import { ExitCode, exitCodeOf } from '../src/exit-codes';
import { UsageError } from '../src/usage-error';

const answer = { message: 'No job "job_x".', requestId: 'req_1', headers: new Headers() };

test('each kind of error gets its documented exit code', () => {
  expect(exitCodeOf(new UsageError('get needs ID'))).toBe(ExitCode.usage);
  expect(exitCodeOf(Object.assign(new Error('x'), { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' }))).toBe(
    ExitCode.usage,
  );
  expect(exitCodeOf(new NotFoundError({ status: 404, type: 'not_found', ...answer }))).toBe(
    ExitCode.failed,
  );
  expect(exitCodeOf(new ConflictError({ status: 409, type: 'conflict', ...answer }))).toBe(
    ExitCode.failed,
  );
  expect(
    exitCodeOf(new InternalServerError({ status: 500, type: 'internal_error', ...answer })),
  ).toBe(ExitCode.failed);
  expect(exitCodeOf(new TimeoutError('job job_x is still running'))).toBe(ExitCode.failed);
  expect(exitCodeOf(new ConnectionError('cannot reach http://x (ECONNREFUSED)'))).toBe(
    ExitCode.transport,
  );
  expect(
    exitCodeOf(
      new ServiceUnavailableError({ status: 503, type: 'service_unavailable', ...answer }),
    ),
  ).toBe(ExitCode.transport);
});

test('an API error is one line with status, type and request_id', () => {
  expect(errorLine(new NotFoundError({ status: 404, type: 'not_found', ...answer }), 'get')).toBe(
    'switchyard: 404 not_found: No job "job_x". (request_id req_1)\n',
  );
  expect(
    errorLine(new ConnectionError('cannot reach http://127.0.0.1:1 (ECONNREFUSED)'), 'get'),
  ).toBe('switchyard: cannot reach http://127.0.0.1:1 (ECONNREFUSED)\n');
  const parse = Object.assign(
    new Error("Unknown option '--x'. To specify a positional argument starting with a '-', …"),
    { code: 'ERR_PARSE_ARGS_UNKNOWN_OPTION' },
  );
  expect(errorLine(parse, 'list')).toBe(
    `switchyard: Unknown option '--x'; see "switchyard list --help"\n`,
  );
});
