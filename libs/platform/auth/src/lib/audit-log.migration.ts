import type { MigrationInterface, QueryRunner } from 'typeorm';

/** The database role services connect as (or are members of); it may only read and append. */
export const APPLICATION_DB_ROLE = 'implant_trace_app';

/**
 * Append-only audit table. Privileges stop the application role from changing history; the
 * trigger also stops roles that privileges cannot (owners, superusers) through ordinary SQL.
 */
export class CreateAuditLog1767225600000 implements MigrationInterface {
  readonly name = 'CreateAuditLog1767225600000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE audit_log (
        seq bigint PRIMARY KEY,
        id uuid NOT NULL UNIQUE,
        occurred_at timestamptz NOT NULL,
        actor_sub text NOT NULL,
        actor_role text NOT NULL,
        actor_ods text,
        action text NOT NULL,
        resource_type text NOT NULL,
        resource_ids text[] NOT NULL,
        patient_count integer NOT NULL CHECK (patient_count >= 0),
        request_id text,
        prev_hash char(64) NOT NULL,
        hash char(64) NOT NULL
      )`);
    await queryRunner.query(`
      CREATE FUNCTION audit_log_append_only() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        RAISE EXCEPTION 'audit_log is append-only: % refused', TG_OP USING ERRCODE = 'insufficient_privilege';
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_no_update_delete BEFORE UPDATE OR DELETE ON audit_log
      FOR EACH ROW EXECUTE FUNCTION audit_log_append_only()`);
    await queryRunner.query(`
      CREATE TRIGGER audit_log_no_truncate BEFORE TRUNCATE ON audit_log
      FOR EACH STATEMENT EXECUTE FUNCTION audit_log_append_only()`);
    // Roles are cluster-wide: several schemas' migrations may race to create it.
    await queryRunner.query(`
      DO $$ BEGIN
        CREATE ROLE ${APPLICATION_DB_ROLE} NOLOGIN;
      EXCEPTION WHEN duplicate_object OR unique_violation THEN NULL;
      END $$`);
    await queryRunner.query(`
      DO $$ BEGIN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${APPLICATION_DB_ROLE}', current_schema());
      END $$`);
    await queryRunner.query(`GRANT SELECT, INSERT ON audit_log TO ${APPLICATION_DB_ROLE}`);
    await queryRunner.query(
      `REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${APPLICATION_DB_ROLE}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE audit_log`);
    await queryRunner.query(`DROP FUNCTION audit_log_append_only()`);
  }
}
