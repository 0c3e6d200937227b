import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * Hospitals' acknowledgements of recalls (the latest per hospital, from
 * notifications.acknowledgements.v1) and their follow-up of each match: every outcome
 * recorded, and the latest on the match for the regulator's counts.
 */
export class RecallFollowUp1767225600410 implements MigrationInterface {
  name = 'RecallFollowUp1767225600410';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE acknowledgements (
        recall_id uuid NOT NULL,
        hospital_ods text NOT NULL,
        stage text NOT NULL,
        acknowledged_at timestamptz NOT NULL,
        PRIMARY KEY (recall_id, hospital_ods)
      )`);
    await queryRunner.query(`ALTER TABLE matches ADD COLUMN follow_up_outcome text`);
    await queryRunner.query(`ALTER TABLE matches ADD COLUMN follow_up_at timestamptz`);
    await queryRunner.query(`
      CREATE TABLE follow_ups (
        follow_up_id uuid PRIMARY KEY,
        match_id uuid NOT NULL,
        outcome text NOT NULL,
        note text,
        recorded_at timestamptz NOT NULL,
        recorded_by text NOT NULL
      )`);
    await queryRunner.query(`CREATE INDEX follow_ups_by_match ON follow_ups (match_id)`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE follow_ups`);
    await queryRunner.query(`ALTER TABLE matches DROP COLUMN follow_up_at`);
    await queryRunner.query(`ALTER TABLE matches DROP COLUMN follow_up_outcome`);
    await queryRunner.query(`DROP TABLE acknowledgements`);
  }
}
