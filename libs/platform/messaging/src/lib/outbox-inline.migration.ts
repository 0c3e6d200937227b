import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Outbox rows are inserted once and deleted once (the relay no longer updates them), so the
 * out-of-line storage chosen for the claim-and-mark relay (OutboxStorage1700000000001) now
 * only costs: every insert wrote the body and the headers into the TOAST table and its index
 * too, and every send read them back through that index. Bodies stay in the row again, and
 * the headers are kept as the text they were written (json, not jsonb): the relay only hands
 * them back, and jsonb converted them on every insert and again on every read. Measured on
 * 100,000 rows of 1.4 KB: COPY 1.23-1.37 s out of line, 0.99-1.02 s in line as json; the
 * relay's DELETE ... RETURNING 330 ms and 228 ms. Rows already written keep their storage.
 */
export class OutboxInline1796400000000 implements MigrationInterface {
  name = 'OutboxInline1796400000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE outbox RESET (toast_tuple_target, fillfactor)`);
    await queryRunner.query(`
      ALTER TABLE outbox
        ALTER COLUMN headers TYPE json USING headers::json,
        ALTER COLUMN headers SET STORAGE EXTENDED,
        ALTER COLUMN payload SET STORAGE EXTENDED`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE outbox
        ALTER COLUMN headers TYPE jsonb USING headers::jsonb,
        ALTER COLUMN headers SET STORAGE EXTERNAL,
        ALTER COLUMN payload SET STORAGE EXTERNAL`);
    await queryRunner.query(`ALTER TABLE outbox SET (toast_tuple_target = 128, fillfactor = 70)`);
  }
}
