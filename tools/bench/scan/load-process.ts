// The load generator of the scan benchmark, in its own process so that it does not share the
// service's event loop: runs one autocannon measurement and prints its summary as JSON.
import { randomUUID } from 'node:crypto';
import { readFileSync } from 'node:fs';

import autocannon from 'autocannon';

export interface LoadPlan {
  url: string;
  target: 'scan' | 'record' | 'health';
  /** Requests per second over all connections; 0 for as fast as the service answers. */
  rate: number;
  seconds: number;
  connections: number;
  /** One per theatre user: the service limits each token (sub) to 600 requests a minute. */
  tokens: string[];
  barcodes: string[];
  nhsNumbers: string[];
}

// From a file: the plan's tokens and barcodes exceed what one command-line argument may hold.
const plan = JSON.parse(readFileSync(process.argv[2] ?? '', 'utf8')) as LoadPlan;
let sent = 0;
const pick = <T>(values: T[]): T => values[sent++ % values.length] as T;

function request(): Parameters<typeof autocannon>[0]['requests'] {
  const json = () => ({
    authorization: `Bearer ${pick(plan.tokens)}`,
    'content-type': 'application/json',
  });
  if (plan.target === 'health') return [{ method: 'GET', path: '/health' }];
  if (plan.target === 'scan') {
    return [
      {
        method: 'POST',
        path: '/v1/scans/check',
        setupRequest: (req) => ({
          ...req,
          headers: json(),
          body: JSON.stringify({ barcode: pick(plan.barcodes) }),
        }),
      },
    ];
  }
  return [
    {
      method: 'POST',
      path: '/v1/implants',
      setupRequest: (req) => ({
        ...req,
        headers: { ...json(), 'idempotency-key': randomUUID() },
        body: JSON.stringify({
          barcode: pick(plan.barcodes),
          patient: { nhsNumber: pick(plan.nhsNumbers) },
          laterality: 'left',
        }),
      }),
    },
  ];
}

autocannon({
  url: plan.url,
  connections: plan.connections,
  duration: plan.seconds,
  ...(plan.rate > 0 ? { overallRate: plan.rate } : {}),
  requests: request(),
})
  .then((result) => {
    process.stdout.write(
      `${JSON.stringify({
        requestsPerSecond: result.requests.average,
        total: result.requests.total,
        p50Ms: result.latency.p50,
        p99Ms: result.latency.p99,
        non2xx: result.non2xx,
        errors: result.errors,
        timeouts: result.timeouts,
        statusCodes: Object.fromEntries(
          Object.entries(result.statusCodeStats).map(([code, { count }]) => [code, count]),
        ),
      })}\n`,
    );
  })
  .catch((error: unknown) => {
    process.stderr.write(`${error instanceof Error ? error.stack : String(error)}\n`);
    process.exit(1);
  });
