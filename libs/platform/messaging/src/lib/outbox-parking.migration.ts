import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Poison rows and fenced leases. A row the broker refuses for good, or that failed alone too
 * often, is parked with its reason: never claimed again until an operator re-sends it, and
 * its key's later rows wait behind it. Every claim takes a fencing token from a sequence; a
 * relay marks, parks or releases only rows that still carry its token, so one whose lease
 * was taken over cannot touch them.
 */
export class OutboxParkingAndFencing1796100000000 implements MigrationInterface {
  name = 'OutboxParkingAndFencing1796100000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`CREATE SEQUENCE outbox_lease_token`);
    await queryRunner.query(`
      ALTER TABLE outbox
        ADD COLUMN lease_token bigint,
        ADD COLUMN send_failures integer NOT NULL DEFAULT 0,
        ADD COLUMN parked_at timestamptz,
        ADD COLUMN parked_reason text`);
    // Serves the claim's "keys blocked by a parked row", the parked listing and its metrics.
    await queryRunner.query(
      `CREATE INDEX outbox_parked ON outbox (topic, message_key, id) WHERE parked_at IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX outbox_parked`);
    await queryRunner.query(`
      ALTER TABLE outbox
        DROP COLUMN parked_reason,
        DROP COLUMN parked_at,
        DROP COLUMN send_failures,
        DROP COLUMN lease_token`);
    await queryRunner.query(`DROP SEQUENCE outbox_lease_token`);
  }
}
