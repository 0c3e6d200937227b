import type { MigrationInterface, QueryRunner } from 'typeorm';

import { OutboxInline1796400000000 } from './outbox-inline.migration';
import { OutboxLanes1796300000000 } from './outbox-lanes.migration';
import { OutboxParkingAndFencing1796100000000 } from './outbox-parking.migration';
import { OutboxStorage1700000000001 } from './outbox-storage.migration';

/**
 * The outbox (events committed with the state change, waiting for the relay) and the inbox
 * (event ids a consumer has applied, written in the same transaction as the effect).
 */
export class MessagingTables1700000000000 implements MigrationInterface {
  name = 'MessagingTables1700000000000';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE outbox (
        id bigserial PRIMARY KEY,
        event_id uuid NOT NULL UNIQUE,
        topic text NOT NULL,
        message_key text NOT NULL,
        event_type text NOT NULL,
        headers jsonb NOT NULL,
        payload text NOT NULL,
        created_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        claimed_by text,
        claimed_until timestamptz,
        published_at timestamptz,
        attempts integer NOT NULL DEFAULT 0,
        last_error text
      )`);
    await queryRunner.query(
      `CREATE INDEX outbox_unpublished ON outbox (id) WHERE published_at IS NULL`,
    );
    await queryRunner.query(
      `CREATE INDEX outbox_unpublished_by_key ON outbox (topic, message_key, id) WHERE published_at IS NULL`,
    );
    await queryRunner.query(`
      CREATE TABLE inbox (
        consumer text NOT NULL,
        event_id uuid NOT NULL,
        topic text NOT NULL,
        kafka_partition integer NOT NULL,
        kafka_offset bigint NOT NULL,
        processed_at timestamptz NOT NULL DEFAULT clock_timestamp(),
        PRIMARY KEY (consumer, event_id)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`DROP TABLE inbox`);
    await queryRunner.query(`DROP TABLE outbox`);
  }
}

export const MESSAGING_MIGRATIONS = [
  MessagingTables1700000000000,
  OutboxStorage1700000000001,
  OutboxParkingAndFencing1796100000000,
  OutboxLanes1796300000000,
  OutboxInline1796400000000,
];
