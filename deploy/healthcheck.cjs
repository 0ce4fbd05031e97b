// Container health check without curl in the image: `node deploy/healthcheck.cjs <url>` exits 0
// when the URL answers 2xx within 3 s, 1 otherwise (docker-compose `healthcheck.test`).
const url = process.argv[2];
if (!url) {
  console.error('usage: node deploy/healthcheck.cjs <url>');
  process.exit(2);
}
fetch(url, { signal: AbortSignal.timeout(3000) }).then(
  (res) => process.exit(res.ok ? 0 : 1),
  (e) => {
    console.error(`${url}: ${e.message}`);
    process.exit(1);
  },
);
