import type { MigrationInterface, QueryRunner } from 'typeorm';

// A copy, not the entity's constant: a committed migration never changes, so a later change
// to the expression needs a migration of its own.
const SEARCH_VECTOR_EXPRESSION =
  "to_tsvector('simple'::regconfig, manufacturer || ' ' || brand || ' ' || " +
  "coalesce(model, '') || ' ' || coalesce(catalog_number, '') || ' ' || coalesce(description, ''))";

/**
 * TypeORM reads the expression of a generated column from its `typeorm_metadata` table when
 * it compares entities with tables; without it the schema check cannot run. Records the
 * expression `CreateDeviceCatalogue` gave `devices.search_vector`. (TypeORM itself creates the
 * table before running the migrations of a data source whose entities have generated columns.)
 */
export class RecordGeneratedColumns1767225600101 implements MigrationInterface {
  name = 'RecordGeneratedColumns1767225600101';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE IF NOT EXISTS typeorm_metadata (
        "type" varchar NOT NULL,
        "database" varchar,
        "schema" varchar,
        "table" varchar,
        "name" varchar,
        "value" text
      )`);
    await queryRunner.query(
      `INSERT INTO typeorm_metadata ("type", "database", "schema", "table", "name", "value")
       VALUES ('GENERATED_COLUMN', current_database(), current_schema(), 'devices', 'search_vector', $1)`,
      [SEARCH_VECTOR_EXPRESSION],
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE typeorm_metadata`);
  }
}
