import type { ChildProcess } from 'node:child_process';
import { spawn } from 'node:child_process';
import { join } from 'node:path';

import { EVENTS } from '@implant-trace/contracts';
import { testInfrastructure, waitFor } from '@implant-trace/platform-testing';

import {
  freshOds,
  type JsonBody,
  matchFound,
  Receiver,
  Service,
  Upstream,
} from '../test-support/notifications.test-bed';

const workspaceRoot = join(__dirname, '..', '..', '..', '..', '..');
const workerFixture = join(__dirname, '..', 'test-support', 'delivery-worker-process.fixture.ts');

describe('delivery under faults: hanging and failing endpoints, a killed worker', () => {
  const upstream = new Upstream();

  beforeAll(() => upstream.start());
  afterAll(() => upstream.stop());

  async function subscribed(service: Service): Promise<{ ods: string; receiver: Receiver }> {
    const ods = freshOds();
    const receiver = new Receiver();
    await receiver.start();
    const { secret } = await service.subscribe(ods, receiver.url, ['recall.match.found']);
    receiver.secrets = [secret];
    return { ods, receiver };
  }

  const statusCounts = async (service: Service, ods: string) => {
    const rows = await service.query<{ status: string; n: number }>(
      `SELECT status, count(*)::int AS n FROM deliveries WHERE hospital_ods = $1 GROUP BY status`,
      [ods],
    );
    return Object.fromEntries(rows.map((row) => [row.status, row.n])) as Record<string, number>;
  };

  const attemptsTo = async (service: Service, ods: string) => {
    const [row] = await service.query<{ n: number }>(
      `SELECT count(*)::int AS n FROM delivery_attempts a
         JOIN deliveries d ON d.delivery_id = a.delivery_id WHERE d.hospital_ods = $1`,
      [ods],
    );
    return row!.n;
  };

  describe('one endpoint hanging or failing', () => {
    // A small pool, so that a hanging endpoint could starve it if the limits did not hold.
    const service = new Service({
      webhookTimeoutMs: 10_000,
      workerConcurrency: 4,
      perEndpointConcurrency: 2,
      circuit: { failureThreshold: 3, openMs: 60_000, maxOpenMs: 60_000 },
    });

    beforeAll(() => service.start());
    afterAll(() => service.drop());

    it('holds only its own allowance of sends while the other endpoints are served', async () => {
      const hanging = await subscribed(service);
      hanging.receiver.answer = () => ({ hang: true });
      const healthy = await subscribed(service);
      await upstream.publish(
        ...Array.from(
          { length: 10 },
          () =>
            [EVENTS.recallMatchFoundV1, matchFound(hanging.ods)] as [
              typeof EVENTS.recallMatchFoundV1,
              object,
            ],
        ),
      );
      await waitFor(() => hanging.receiver.received.length === 2, {
        description: 'the hanging endpoint to hold its two sends',
      });
      const ids = await upstream.publish(
        ...Array.from(
          { length: 10 },
          () =>
            [EVENTS.recallMatchFoundV1, matchFound(healthy.ods)] as [
              typeof EVENTS.recallMatchFoundV1,
              object,
            ],
        ),
      );
      await waitFor(async () => (await statusCounts(service, healthy.ods))['delivered'] === 10, {
        description: 'the healthy endpoint’s ten deliveries',
      });
      expect(new Set(healthy.receiver.accepted().map((w) => w.id))).toEqual(new Set(ids));
      // Bound: all ten arrived before the hanging endpoint's first send timed out, and it
      // never had more than its allowance in flight.
      expect(await attemptsTo(service, hanging.ods)).toBe(0);
      expect(hanging.receiver.received).toHaveLength(2);
      expect((await statusCounts(service, hanging.ods))['pending']).toBe(10);
      await hanging.receiver.stop();
      await healthy.receiver.stop();
    });

    it('opens the circuit of a failing endpoint: it is left alone while others are served', async () => {
      const failing = await subscribed(service);
      failing.receiver.answer = () => ({ status: 500 });
      const healthy = await subscribed(service);
      await upstream.publish(
        ...Array.from(
          { length: 5 },
          () =>
            [EVENTS.recallMatchFoundV1, matchFound(failing.ods)] as [
              typeof EVENTS.recallMatchFoundV1,
              object,
            ],
        ),
      );
      // One snapshot: the failure count and the attempts are written in one transaction, and
      // with nothing in flight no attempt can land between reading one and the other.
      const opened = await waitFor(
        async () => {
          const [row] = await service.query<JsonBody>(
            `SELECT s.consecutive_failures, s.circuit_open_until > now() AS open,
                    (SELECT count(*)::int FROM deliveries d
                      WHERE d.subscription_id = s.subscription_id AND d.leased_by IS NOT NULL) AS in_flight,
                    (SELECT count(*)::int FROM delivery_attempts a
                       JOIN deliveries d ON d.delivery_id = a.delivery_id
                      WHERE d.subscription_id = s.subscription_id) AS attempts,
                    (SELECT count(*)::int FROM delivery_attempts a
                       JOIN deliveries d ON d.delivery_id = a.delivery_id
                      WHERE d.subscription_id = s.subscription_id AND a.status_code = 500
                        AND a.outcome IN ('retry', 'failed')) AS failed_attempts
               FROM subscriptions s WHERE s.hospital_ods = $1`,
            [failing.ods],
          );
          return row?.['open'] === true && row['in_flight'] === 0 ? row : undefined;
        },
        { description: 'the failing endpoint’s circuit to open with no send in flight' },
      );
      // The fault happened: the threshold's worth of 500s was answered and recorded, every
      // attempt failed, and the circuit counted each failed attempt exactly once.
      // The third failure opens the circuit; with two sends allowed per endpoint, one more may
      // already be on its way and fail too: exactly the threshold, or the threshold plus one.
      expect([3, 4]).toContain(opened['failed_attempts']);
      expect(opened['attempts']).toBe(opened['failed_attempts']);
      expect(opened['consecutive_failures']).toBe(opened['failed_attempts']);
      expect(failing.receiver.received).toHaveLength(opened['attempts']);
      const attemptsWhenOpened = opened['attempts'] as number;
      await upstream.publish(
        ...Array.from(
          { length: 5 },
          () =>
            [EVENTS.recallMatchFoundV1, matchFound(healthy.ods)] as [
              typeof EVENTS.recallMatchFoundV1,
              object,
            ],
        ),
      );
      await waitFor(async () => (await statusCounts(service, healthy.ods))['delivered'] === 5, {
        description: 'the healthy endpoint’s deliveries',
      });
      expect(await attemptsTo(service, failing.ods)).toBe(attemptsWhenOpened);
      expect((await statusCounts(service, failing.ods))['pending']).toBe(5);
      await failing.receiver.stop();
      await healthy.receiver.stop();
    });
  });

  describe('a worker process SIGKILLed mid-send', () => {
    const service = new Service({ runWorkers: false });
    const children: ChildProcess[] = [];

    function startWorkerProcess(): ChildProcess {
      const args = JSON.stringify({
        databaseUrl: testInfrastructure().databaseUrl,
        schema: service.schema,
      });
      const child = spawn(process.execPath, ['-r', '@swc-node/register', workerFixture, args], {
        cwd: workspaceRoot,
        stdio: ['ignore', 'ignore', 'inherit'],
      });
      children.push(child);
      return child;
    }

    beforeAll(() => service.start());
    afterAll(async () => {
      for (const child of children) if (child.exitCode === null) child.kill('SIGKILL');
      await service.drop();
    });

    it('leaves the delivery to be retried, never marked done without a 2xx, and it arrives', async () => {
      const { ods, receiver } = await subscribed(service);
      receiver.answer = (_request, index) => (index === 0 ? { hang: true } : { status: 204 });
      const [eventId] = await upstream.publish([EVENTS.recallMatchFoundV1, matchFound(ods)]);
      const first = startWorkerProcess();
      await waitFor(() => receiver.received.length === 1, {
        timeoutMs: 30_000,
        description: 'the first worker to be mid-send',
      });
      first.kill('SIGKILL');
      await new Promise((resolve) => first.once('exit', resolve));

      const [killed] = await service.query<JsonBody>(
        `SELECT status, attempts, leased_by IS NOT NULL AS leased FROM deliveries WHERE event_id = $1`,
        [eventId],
      );
      expect(killed).toEqual({ status: 'pending', attempts: 1, leased: true });
      expect(await attemptsTo(service, ods)).toBe(0);

      startWorkerProcess();
      const delivered = await waitFor(
        async () => {
          const listed = await service.call('GET', '/v1/deliveries', { ods });
          const delivery = (listed.body['items'] as JsonBody[])[0];
          return delivery?.['status'] === 'delivered' ? delivery : undefined;
        },
        { timeoutMs: 30_000, description: 'the second worker to deliver it' },
      );
      expect(delivered['attempts']).toEqual([
        expect.objectContaining({ attempt: 2, statusCode: 204, outcome: 'delivered' }),
      ]);
      expect(receiver.received.map((w) => w.id)).toEqual([eventId, eventId]);
      expect(receiver.received.every((w) => w.verifiedBy.length === 1)).toBe(true);
      await receiver.stop();
    });
  });
});
