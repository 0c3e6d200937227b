import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Recall notices name no hospital and go to every hospital registered with the service (one
 * that created a subscription), not to every hospital a match or implant event ever named:
 * a broadcast's cost is bounded by the audience that asked for it.
 */
export class HospitalRegistration1767225600420 implements MigrationInterface {
  name = 'HospitalRegistration1767225600420';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE hospital_feeds ADD COLUMN registered_at timestamptz`);
    await queryRunner.query(
      `UPDATE hospital_feeds f SET registered_at = s.first FROM (
         SELECT hospital_ods, min(created_at) AS first FROM subscriptions GROUP BY hospital_ods
       ) s WHERE s.hospital_ods = f.hospital_ods`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`ALTER TABLE hospital_feeds DROP COLUMN registered_at`);
  }
}
