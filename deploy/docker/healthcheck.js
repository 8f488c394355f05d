// A container healthcheck for an image without curl: `node healthcheck.js <url>` exits 0 when
// the URL answers 2xx within 3 s, 1 otherwise (refused, timed out, or any other status).
const url = process.argv[2];
if (!url) {
  process.stderr.write('usage: node healthcheck.js http://127.0.0.1:8080/healthz\n');
  process.exit(64);
}
fetch(url, { signal: AbortSignal.timeout(3_000) }).then(
  (response) => process.exit(response.ok ? 0 : 1),
  () => process.exit(1),
);
