import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * A replayed delivery gets the whole retry schedule again while its attempt numbers keep
 * counting, so that no earlier attempt's record is overwritten.
 */
export class DeliveryReplays1767225600410 implements MigrationInterface {
  name = 'DeliveryReplays1767225600410';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(
      `ALTER TABLE deliveries ADD COLUMN attempts_before_replay integer NOT NULL DEFAULT 0`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE deliveries DROP COLUMN attempts_before_replay`);
  }
}
