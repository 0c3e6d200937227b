import { createSchemaDataSource } from '@implant-trace/platform-database';
import { SERVICE_LOGIN_ROLE, serviceRoleDatabaseUrl } from '@implant-trace/platform-testing';

import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { OutboxNotVacuumedError, OutboxRelay } from './outbox-relay';
import { OutboxRepository } from './outbox.repository';

/**
 * A relay vacuums its outbox only where its role may (PostgreSQL 15: the table's owner); a
 * service connects as its least-privilege role, whose VACUUM would do nothing but warn, so it
 * relies on autovacuum, and says so when autovacuum is off too.
 */
describe('who vacuums the outbox', () => {
  const bed = new MessagingTestBed();
  const asService = createSchemaDataSource({
    url: serviceRoleDatabaseUrl(),
    schema: bed.schema,
    poolSize: 2,
  });
  const serviceOutbox = new OutboxRepository(asService);

  beforeAll(async () => {
    await bed.setUp();
    await bed.dataSource.query(`GRANT USAGE ON SCHEMA "${bed.schema}" TO ${SERVICE_LOGIN_ROLE}`);
    await bed.dataSource.query(
      `GRANT SELECT, INSERT, UPDATE, DELETE ON outbox TO ${SERVICE_LOGIN_ROLE}`,
    );
    await bed.dataSource.query(`ALTER TABLE outbox SET (autovacuum_enabled = false)`);
    await asService.initialize();
  });
  afterAll(async () => {
    await asService.destroy();
    await bed.tearDown();
  });

  it('is the relay when its role owns the table', async () => {
    expect(await bed.outbox.vacuumedBy()).toBe('relay');
  });

  it('is nobody for a service role when autovacuum is off for the table, and the relay says so', async () => {
    expect(await serviceOutbox.vacuumedBy()).toBe('nobody');
    const errors: unknown[] = [];
    const relay = new OutboxRelay(serviceOutbox, bed.kafka, {
      relayId: 'service-role',
      onError: (error) => errors.push(error),
    });
    await relay.start();
    await relay.stop();
    expect(errors).toEqual([expect.any(OutboxNotVacuumedError)]);
  });

  it('is autovacuum for a service role when autovacuum is on for the table and the server', async () => {
    await bed.dataSource.query(`ALTER TABLE outbox SET (autovacuum_enabled = true)`);
    const [{ on }] = (await bed.dataSource.query(
      `SELECT current_setting('autovacuum')::boolean AS on`,
    )) as [{ on: boolean }];
    // The machine's own setting decides; both answers are checked against it.
    expect(await serviceOutbox.vacuumedBy()).toBe(on ? 'autovacuum' : 'nobody');
    await bed.dataSource.query(`ALTER TABLE outbox SET (autovacuum_enabled = false)`);
  });
});
