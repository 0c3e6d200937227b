import type { MigrationInterface, QueryRunner } from 'typeorm';

import { APPLICATION_DB_ROLE } from './audit-log.migration';

/**
 * What the service's login role (a member of `implant_trace_app`, see
 * tools/infra/database-roles.sql) may do in this schema: read and write its tables, now and
 * those later migrations create, but never change history: on `audit_log` only SELECT and
 * INSERT, and the migrations table read-only. Nothing grants TRUNCATE, TRIGGER or ownership,
 * so the role cannot truncate, alter tables or switch their triggers off.
 */
export class ServiceRolePrivileges1767225600030 implements MigrationInterface {
  readonly name = 'ServiceRolePrivileges1767225600030';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      DECLARE schema_name text := current_schema();
      BEGIN
        EXECUTE format('GRANT USAGE ON SCHEMA %I TO ${APPLICATION_DB_ROLE}', schema_name);
        EXECUTE format('GRANT SELECT, INSERT, UPDATE, DELETE ON ALL TABLES IN SCHEMA %I TO ${APPLICATION_DB_ROLE}', schema_name);
        EXECUTE format('GRANT USAGE, SELECT, UPDATE ON ALL SEQUENCES IN SCHEMA %I TO ${APPLICATION_DB_ROLE}', schema_name);
        -- Tables and sequences that later migrations create, as the same owner.
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT SELECT, INSERT, UPDATE, DELETE ON TABLES TO ${APPLICATION_DB_ROLE}', schema_name);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I GRANT USAGE, SELECT, UPDATE ON SEQUENCES TO ${APPLICATION_DB_ROLE}', schema_name);
      END $$`);
    await queryRunner.query(
      `REVOKE UPDATE, DELETE, TRUNCATE ON audit_log FROM ${APPLICATION_DB_ROLE}`,
    );
    await queryRunner.query(
      `REVOKE INSERT, UPDATE, DELETE, TRUNCATE ON migrations FROM ${APPLICATION_DB_ROLE}`,
    );
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      DO $$
      DECLARE schema_name text := current_schema();
      BEGIN
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON SEQUENCES FROM ${APPLICATION_DB_ROLE}', schema_name);
        EXECUTE format('ALTER DEFAULT PRIVILEGES IN SCHEMA %I REVOKE ALL ON TABLES FROM ${APPLICATION_DB_ROLE}', schema_name);
        EXECUTE format('REVOKE ALL ON ALL SEQUENCES IN SCHEMA %I FROM ${APPLICATION_DB_ROLE}', schema_name);
        EXECUTE format('REVOKE UPDATE, DELETE ON ALL TABLES IN SCHEMA %I FROM ${APPLICATION_DB_ROLE}', schema_name);
      END $$`);
  }
}
