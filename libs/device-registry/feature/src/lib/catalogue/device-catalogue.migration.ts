import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The device catalogue. Every query the API runs has an index: lookups by id (primary key) and
 * by identifier (primary key of device_identifiers), search by manufacturer or catalogue number
 * (expression indexes ending in device_id, so the keyset page is read in order from the index)
 * and free text (GIN over a generated tsvector).
 */
export class CreateDeviceCatalogue1767225600100 implements MigrationInterface {
  name = 'CreateDeviceCatalogue1767225600100';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE devices (
        device_id uuid PRIMARY KEY,
        revision integer NOT NULL CHECK (revision >= 1),
        manufacturer text NOT NULL,
        brand text NOT NULL,
        model text,
        catalog_number text,
        description text,
        gmdn_code text,
        implantable boolean NOT NULL,
        mri_safety text NOT NULL CHECK (mri_safety IN ('safe', 'conditional', 'unsafe', 'unknown')),
        label_lot_number boolean NOT NULL,
        label_serial_number boolean NOT NULL,
        label_expiration_date boolean NOT NULL,
        label_manufacture_date boolean NOT NULL,
        status text NOT NULL CHECK (status IN ('on-market', 'withdrawn')),
        updated_at timestamptz NOT NULL,
        search_vector tsvector GENERATED ALWAYS AS (
          to_tsvector('simple'::regconfig,
            manufacturer || ' ' || brand || ' ' || coalesce(model, '') || ' ' ||
            coalesce(catalog_number, '') || ' ' || coalesce(description, ''))
        ) STORED
      )`);
    await queryRunner.query(`
      CREATE TABLE device_identifiers (
        device_identifier text PRIMARY KEY,
        device_id uuid NOT NULL REFERENCES devices (device_id) ON DELETE CASCADE,
        issuing_agency text NOT NULL CHECK (issuing_agency IN ('GS1', 'HIBCC', 'ICCBBA')),
        type text NOT NULL CHECK (type IN ('primary', 'package', 'unit-of-use', 'direct-marking', 'secondary', 'previous')),
        quantity_per_package integer CHECK (quantity_per_package >= 1)
      )`);
    await queryRunner.query(
      `CREATE INDEX device_identifiers_by_device ON device_identifiers (device_id)`,
    );
    // A device has exactly one primary identifier; the domain keeps it so, this proves it.
    await queryRunner.query(
      `CREATE UNIQUE INDEX device_identifiers_one_primary ON device_identifiers (device_id) WHERE type = 'primary'`,
    );
    await queryRunner.query(
      `CREATE INDEX devices_by_manufacturer ON devices (lower(manufacturer), device_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX devices_by_catalog_number ON devices (lower(catalog_number), device_id)`,
    );
    await queryRunner.query(`CREATE INDEX devices_by_text ON devices USING gin (search_vector)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE device_identifiers`);
    await queryRunner.query(`DROP TABLE devices`);
  }
}
