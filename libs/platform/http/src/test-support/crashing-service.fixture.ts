// A service process whose idempotent writes never answer, for the test that SIGKILLs it with
// an Idempotency-Key in flight. argv[2]: {"schema", "jwtSecret", "leaseSeconds"} as JSON.
import { ProbeServiceConfig, testServiceConfig } from '@implant-trace/platform-testing';

import { createServiceApp } from '../lib/service-app.factory';
import { IdempotentWritesProbeModule } from './idempotent-writes.probe';

const { schema, jwtSecret, leaseSeconds } = JSON.parse(process.argv[2] ?? '{}') as {
  schema: string;
  jwtSecret: string;
  leaseSeconds: number;
};

void (async () => {
  const app = await createServiceApp({
    config: testServiceConfig(ProbeServiceConfig, {
      schema,
      jwtSecret,
      overrides: { IDEMPOTENCY_LEASE_SECONDS: String(leaseSeconds) },
    }),
    imports: [IdempotentWritesProbeModule.forRoot({ hangAfterEffect: true })],
  });
  await app.listen(0, '127.0.0.1');
  process.stdout.write(`listening ${(await app.getUrl()).replace('[::1]', '127.0.0.1')}\n`);
})();
