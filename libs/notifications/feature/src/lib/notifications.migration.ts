import type { MigrationInterface, QueryRunner } from 'typeorm';

/**
 * The notifications tables. PostgreSQL is the only record of what was delivered: a delivery row
 * per event and subscription (unique), claimed by workers with FOR UPDATE SKIP LOCKED and a
 * lease, so a worker that dies leaves its delivery to the next.
 */
export class CreateNotifications1767225600400 implements MigrationInterface {
  name = 'CreateNotifications1767225600400';

  async up(queryRunner: QueryRunner): Promise<void> {
    await queryRunner.query(`
      CREATE TABLE subscriptions (
        subscription_id uuid PRIMARY KEY,
        hospital_ods text NOT NULL,
        url text NOT NULL,
        event_types text[] NOT NULL,
        description text,
        secret text NOT NULL,
        previous_secret text,
        previous_secret_expires_at timestamptz,
        status text NOT NULL,
        status_reason text,
        consecutive_failures integer NOT NULL,
        circuit_open_until timestamptz,
        created_at timestamptz NOT NULL,
        created_by text NOT NULL,
        updated_at timestamptz NOT NULL
      )`);
    // A hospital's subscriptions, listed and fanned out to.
    await queryRunner.query(
      `CREATE INDEX subscriptions_by_hospital ON subscriptions (hospital_ods, subscription_id)`,
    );
    // The next sequence number of each hospital; the row lock makes numbers gapless.
    await queryRunner.query(`
      CREATE TABLE hospital_feeds (
        hospital_ods text PRIMARY KEY,
        last_sequence bigint NOT NULL
      )`);
    await queryRunner.query(`
      CREATE TABLE feed_events (
        hospital_ods text NOT NULL,
        sequence bigint NOT NULL,
        event_id uuid NOT NULL,
        type text NOT NULL,
        source text NOT NULL,
        time timestamptz NOT NULL,
        subject text NOT NULL,
        recall_id uuid,
        data jsonb NOT NULL,
        recorded_at timestamptz NOT NULL,
        PRIMARY KEY (hospital_ods, sequence)
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX feed_events_once ON feed_events (hospital_ods, event_id)`,
    );
    // Whether a recall's notice reached a hospital (acknowledgements need one).
    await queryRunner.query(
      `CREATE INDEX feed_events_by_recall ON feed_events (hospital_ods, recall_id)`,
    );
    await queryRunner.query(`
      CREATE TABLE deliveries (
        delivery_id uuid PRIMARY KEY,
        subscription_id uuid NOT NULL,
        hospital_ods text NOT NULL,
        event_id uuid NOT NULL,
        sequence bigint NOT NULL,
        event_type text NOT NULL,
        status text NOT NULL,
        attempts integer NOT NULL,
        next_attempt_at timestamptz NOT NULL,
        lease_until timestamptz,
        leased_by text,
        last_error text,
        created_at timestamptz NOT NULL,
        completed_at timestamptz
      )`);
    await queryRunner.query(
      `CREATE UNIQUE INDEX deliveries_once ON deliveries (subscription_id, event_id)`,
    );
    // The claim: an endpoint's due deliveries, and how many it has in flight.
    await queryRunner.query(
      `CREATE INDEX deliveries_due ON deliveries (subscription_id, next_attempt_at) WHERE status = 'pending'`,
    );
    // A hospital's deliveries listed newest first, and its failures since a time (replay).
    await queryRunner.query(
      `CREATE INDEX deliveries_by_hospital ON deliveries (hospital_ods, delivery_id)`,
    );
    await queryRunner.query(
      `CREATE INDEX deliveries_failed ON deliveries (hospital_ods, completed_at) WHERE status = 'failed'`,
    );
    await queryRunner.query(`
      CREATE TABLE delivery_attempts (
        delivery_id uuid NOT NULL,
        attempt_number integer NOT NULL,
        started_at timestamptz NOT NULL,
        duration_ms integer NOT NULL,
        status_code integer,
        error text,
        outcome text NOT NULL,
        PRIMARY KEY (delivery_id, attempt_number)
      )`);
    await queryRunner.query(`
      CREATE TABLE acknowledgements (
        recall_id uuid NOT NULL,
        hospital_ods text NOT NULL,
        stage text NOT NULL,
        note text,
        acknowledged_at timestamptz NOT NULL,
        acknowledged_by text NOT NULL,
        PRIMARY KEY (recall_id, hospital_ods, stage)
      )`);
  }

  async down(queryRunner: QueryRunner): Promise<void> {
    for (const table of [
      'acknowledgements',
      'delivery_attempts',
      'deliveries',
      'feed_events',
      'hospital_feeds',
      'subscriptions',
    ]) {
      await queryRunner.query(`DROP TABLE ${table}`);
    }
  }
}
