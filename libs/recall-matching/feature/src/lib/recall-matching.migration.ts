import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The catalogue replica, the implant projection, the recalls and their matches. Each index
 * names the query it serves (criteria-sql.util.ts builds them; their EXPLAINs are checked by
 * recall-queries-explain.int-spec.ts):
 * - a recall's devices by any identifier, catalogue number, or manufacturer and model;
 * - the active implants of those devices, and the active implants no device record names yet
 *   (possible matches: they may be a packaging level of a recalled device);
 * - the implants of one identifier, when a device record arrives or changes;
 * - a recall's matches by hospital (lists, progress), an implant's matches (its events).
 */
export class CreateRecallMatching1767225600400 implements MigrationInterface {
  name = 'CreateRecallMatching1767225600400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE catalogue_devices (
        device_id uuid PRIMARY KEY,
        revision integer NOT NULL,
        record jsonb NOT NULL,
        identifiers text[] NOT NULL,
        catalog_number_key text,
        manufacturer_key text,
        model_key text
      )`);
    await queryRunner.query(
      `CREATE INDEX catalogue_devices_by_identifiers ON catalogue_devices USING gin (identifiers)`,
    );
    await queryRunner.query(
      `CREATE INDEX catalogue_devices_by_catalog_number ON catalogue_devices (catalog_number_key)`,
    );
    await queryRunner.query(
      `CREATE INDEX catalogue_devices_by_manufacturer_model ON catalogue_devices (manufacturer_key, model_key)`,
    );
    await queryRunner.query(`
      CREATE TABLE catalogue_identifiers (
        device_identifier text PRIMARY KEY,
        device_id uuid NOT NULL
      )`);
    await queryRunner.query(
      `CREATE INDEX catalogue_identifiers_by_device ON catalogue_identifiers (device_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE implants (
        implant_id uuid PRIMARY KEY,
        recorded boolean NOT NULL,
        hospital_ods text NOT NULL,
        patient jsonb,
        patient_key text,
        udi jsonb,
        device_identifier text,
        device_id uuid,
        lot_number text,
        serial_number text,
        serial_value numeric,
        manufacture_date text,
        expiration_date text,
        status text NOT NULL,
        status_changed_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX implants_active_by_device ON implants (device_id) WHERE status = 'active'`,
    );
    await queryRunner.query(
      `CREATE INDEX implants_active_unresolved ON implants (device_identifier)
         WHERE status = 'active' AND device_id IS NULL`,
    );
    await queryRunner.query(`CREATE INDEX implants_by_identifier ON implants (device_identifier)`);
    await queryRunner.query(`
      CREATE TABLE recalls (
        recall_id uuid PRIMARY KEY,
        status text NOT NULL,
        details jsonb NOT NULL,
        issued_at timestamptz NOT NULL,
        updated_at timestamptz NOT NULL,
        closed_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE INDEX recalls_open ON recalls (issued_at) WHERE status = 'open'`,
    );
    await queryRunner.query(`
      CREATE TABLE matches (
        match_id uuid PRIMARY KEY,
        recall_id uuid NOT NULL,
        implant_id uuid NOT NULL,
        hospital_ods text NOT NULL,
        kind text NOT NULL,
        live boolean NOT NULL,
        found_at timestamptz NOT NULL,
        withdrawn_at timestamptz,
        withdrawal_reason text
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX matches_by_recall_implant ON matches (recall_id, implant_id)`,
    );
    await queryRunner.query(`CREATE INDEX matches_by_implant ON matches (implant_id)`);
    await queryRunner.query(
      `CREATE INDEX matches_by_recall_hospital ON matches (recall_id, hospital_ods, match_id)`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE matches`);
    await queryRunner.query(`DROP TABLE recalls`);
    await queryRunner.query(`DROP TABLE implants`);
    await queryRunner.query(`DROP TABLE catalogue_identifiers`);
    await queryRunner.query(`DROP TABLE catalogue_devices`);
  }
}
