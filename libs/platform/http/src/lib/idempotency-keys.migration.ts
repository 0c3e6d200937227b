import type { MigrationInterface, QueryRunner } from 'typeorm';

export class CreateIdempotencyKeys1767225600001 implements MigrationInterface {
  readonly name = 'CreateIdempotencyKeys1767225600001';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE idempotency_keys (
        scope text NOT NULL,
        key text NOT NULL,
        request_hash char(64) NOT NULL,
        state text NOT NULL CHECK (state IN ('in-flight', 'completed')),
        response_status integer,
        response_body jsonb,
        created_at timestamptz NOT NULL DEFAULT now(),
        completed_at timestamptz,
        PRIMARY KEY (scope, key)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE idempotency_keys`);
  }
}
