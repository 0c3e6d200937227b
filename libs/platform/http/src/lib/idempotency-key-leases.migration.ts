import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * In-flight keys hold a lease (a token and an expiry) so a crashed request's key can be taken
 * over, and completed keys are purged after the retention period.
 */
export class IdempotencyKeyLeases1767225600020 implements MigrationInterface {
  readonly name = 'IdempotencyKeyLeases1767225600020';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE idempotency_keys
        ADD COLUMN lease_token uuid,
        ADD COLUMN lease_expires_at timestamptz`);
    // Keys in flight before leases existed belong to processes that are gone.
    await queryRunner.query(
      `UPDATE idempotency_keys SET lease_expires_at = now() WHERE state = 'in-flight'`,
    );
    // Serves the purge: completed keys older than the retention period.
    await queryRunner.query(
      `CREATE INDEX idempotency_keys_completed_at ON idempotency_keys (completed_at) WHERE state = 'completed'`,
    );
    // Serves the purge: in-flight keys abandoned for longer than the retention period.
    await queryRunner.query(
      `CREATE INDEX idempotency_keys_lease_expires_at ON idempotency_keys (lease_expires_at) WHERE state = 'in-flight'`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX idempotency_keys_lease_expires_at`);
    await queryRunner.query(`DROP INDEX idempotency_keys_completed_at`);
    await queryRunner.query(
      `ALTER TABLE idempotency_keys DROP COLUMN lease_expires_at, DROP COLUMN lease_token`,
    );
  }
}
