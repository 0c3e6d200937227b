import type { MigrationInterface, QueryRunner } from 'typeorm';

/** When, by whom and why an implant left the active set; the row itself is never deleted. */
export class ImplantStatusChanges1767225600310 implements MigrationInterface {
  name = 'ImplantStatusChanges1767225600310';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE implants
        ADD COLUMN status_changed_at timestamptz,
        ADD COLUMN status_changed_by text,
        ADD COLUMN status_reason text`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE implants
        DROP COLUMN status_changed_at,
        DROP COLUMN status_changed_by,
        DROP COLUMN status_reason`);
  }
}
