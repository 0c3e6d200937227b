import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Who resolved an implant's review, when and with what note; the open ones of a hospital. */
export class ReviewResolutions1767225600320 implements MigrationInterface {
  name = 'ReviewResolutions1767225600320';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      ALTER TABLE implants
        ADD COLUMN review_resolved_at timestamptz,
        ADD COLUMN review_resolved_by text,
        ADD COLUMN review_note text`);
    await queryRunner.query(
      `CREATE INDEX implants_open_reviews ON implants (hospital_ods, recorded_at)
         WHERE cardinality(review_flags) > 0 AND review_resolved_at IS NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP INDEX implants_open_reviews`);
    await queryRunner.query(`
      ALTER TABLE implants
        DROP COLUMN review_resolved_at,
        DROP COLUMN review_resolved_by,
        DROP COLUMN review_note`);
  }
}
