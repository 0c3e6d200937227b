import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The implant records. Rows are never deleted: explant and entered-in-error change `status`.
 * Lookups: a patient's implants at a hospital, the flagged ones of a hospital, and the live
 * implants carrying one identifier and serial (the duplicate check).
 */
export class CreateImplants1767225600300 implements MigrationInterface {
  name = 'CreateImplants1767225600300';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE implants (
        implant_id uuid PRIMARY KEY,
        hospital_ods text NOT NULL,
        nhs_number text,
        patient jsonb NOT NULL,
        device_identifier text NOT NULL,
        serial_number text,
        udi jsonb NOT NULL,
        device_id uuid,
        entry_method text NOT NULL,
        verdict text NOT NULL,
        procedure jsonb,
        body_site text,
        laterality text,
        implanted_at timestamptz NOT NULL,
        recorded_by text NOT NULL,
        recorded_at timestamptz NOT NULL,
        status text NOT NULL,
        review_flags text[] NOT NULL,
        warnings jsonb NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX implants_by_patient ON implants (hospital_ods, nhs_number)`,
    );
    await queryRunner.query(
      `CREATE INDEX implants_live_serials ON implants (device_identifier, serial_number)
         WHERE status = 'implanted' AND serial_number IS NOT NULL`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE implants`);
  }
}
