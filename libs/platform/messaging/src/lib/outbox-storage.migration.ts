import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The relay updates every outbox row twice (claim, mark). Keeping the event body out of line
 * (TOAST) means those updates rewrite a small row instead of copying the whole body, and
 * free space on each page lets the claim update stay on its page (HOT).
 */
export class OutboxStorage1700000000001 implements MigrationInterface {
  name = 'OutboxStorage1700000000001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox ALTER COLUMN payload SET STORAGE EXTERNAL`);
    await queryRunner.query(`ALTER TABLE outbox ALTER COLUMN headers SET STORAGE EXTERNAL`);
    await queryRunner.query(`ALTER TABLE outbox SET (toast_tuple_target = 128, fillfactor = 70)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox RESET (toast_tuple_target, fillfactor)`);
    await queryRunner.query(`ALTER TABLE outbox ALTER COLUMN headers SET STORAGE EXTENDED`);
    await queryRunner.query(`ALTER TABLE outbox ALTER COLUMN payload SET STORAGE EXTENDED`);
  }
}
