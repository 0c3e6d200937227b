import type { MigrationInterface, QueryRunner } from 'typeorm';

/** Fixed by this migration: a key's lane is part of the table, so changing it is a migration. */
export const OUTBOX_LANES = 16;

/** The lane of a key, in SQL: the table's generated column, and tests that pick keys by lane. */
export const laneOfKeySql = (key: string) => `(hashtext(${key}) & ${OUTBOX_LANES - 1})::smallint`;

/**
 * The relay without leases. Each message key hashes to one of {@link OUTBOX_LANES} lanes; a
 * relay sends a lane's rows only while it holds that lane's advisory lock, inside the one
 * transaction that deletes them, committed after the broker acknowledged them. One write per
 * event instead of three (claim, mark, purge), no claim query over every unpublished row, and
 * per-key order kept because one lane has one sender at a time. Inserts notify the relay
 * (LISTEN/NOTIFY on one channel, the schema as payload, delivered at the writer's commit) so
 * it need not poll to stay prompt.
 */
export class OutboxLanes1796300000000 implements MigrationInterface {
  name = 'OutboxLanes1796300000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    // Published rows were kept only for inspection; Kafka holds them.
    await queryRunner.query(`DELETE FROM outbox WHERE published_at IS NOT NULL`);
    await queryRunner.query(`DROP INDEX outbox_unpublished`);
    await queryRunner.query(`DROP INDEX outbox_unpublished_by_key`);
    await queryRunner.query(`
      ALTER TABLE outbox
        DROP COLUMN claimed_by,
        DROP COLUMN claimed_until,
        DROP COLUMN published_at,
        DROP COLUMN lease_token,
        DROP COLUMN attempts,
        ADD COLUMN lane smallint NOT NULL
          GENERATED ALWAYS AS (${laneOfKeySql('message_key')}) STORED`);
    await queryRunner.query(`DROP SEQUENCE outbox_lease_token`);
    await queryRunner.query(`CREATE INDEX outbox_by_lane ON outbox (lane, id)`);
    await queryRunner.query(`
      CREATE FUNCTION outbox_notify() RETURNS trigger LANGUAGE plpgsql AS $$
      BEGIN
        PERFORM pg_notify('outbox', TG_TABLE_SCHEMA);
        RETURN NULL;
      END $$`);
    await queryRunner.query(`
      CREATE TRIGGER outbox_inserted AFTER INSERT ON outbox
      FOR EACH STATEMENT EXECUTE FUNCTION outbox_notify()`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TRIGGER outbox_inserted ON outbox`);
    await queryRunner.query(`DROP FUNCTION outbox_notify()`);
    await queryRunner.query(`DROP INDEX outbox_by_lane`);
    await queryRunner.query(`CREATE SEQUENCE outbox_lease_token`);
    await queryRunner.query(`
      ALTER TABLE outbox
        DROP COLUMN lane,
        ADD COLUMN attempts integer NOT NULL DEFAULT 0,
        ADD COLUMN lease_token bigint,
        ADD COLUMN published_at timestamptz,
        ADD COLUMN claimed_until timestamptz,
        ADD COLUMN claimed_by text`);
    await queryRunner.query(
      `CREATE INDEX outbox_unpublished_by_key ON outbox (topic, message_key, id) WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL`,
    );
  }
}
