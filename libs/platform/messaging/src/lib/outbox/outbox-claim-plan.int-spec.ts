import { waitFor } from '@implant-trace/platform-testing';

import { MessagingTestBed } from '../../test-support/messaging-test-bed';
import { OUTBOX_LANES } from '../outbox-lanes.migration';

const BACKLOG = 100_000;
const BATCH = 1_000;

/**
 * A relay that starts on a large backlog nobody has analysed (autovacuum off, as on the
 * machine this runs on, or not yet round to a bulk import; a service's role may not ANALYZE a
 * table it does not own) must still take each lane's oldest rows from the lane index and stop
 * at its limit, not read every row of its lanes to sort them: that took 2.2 s a batch at a
 * backlog of 500,000 device events, and made the import's relay 3 to 5 times slower than it is.
 * Counted in index entries read, not timed.
 */
describe('the outbox claim on a backlog without statistics', () => {
  const bed = new MessagingTestBed();

  beforeAll(async () => {
    await bed.setUp({ withTopic: false });
    // Wherever autovacuum runs, it must not analyse the table under the test.
    await bed.dataSource.query(`ALTER TABLE outbox SET (autovacuum_enabled = false)`);
    await bed.dataSource.query(
      `INSERT INTO outbox (event_id, topic, message_key, event_type, headers, payload)
       SELECT gen_random_uuid(), $1, 'key-' || g, 'implant.explanted', '{}', repeat('x', 200)
       FROM generate_series(1, $2::int) g`,
      [bed.topic.name, BACKLOG],
    );
  }, 60_000);
  afterAll(() => bed.tearDown());

  const laneIndexEntriesRead = async (): Promise<number> => {
    const [row] = (await bed.dataSource.query(
      `SELECT idx_tup_read::int AS n FROM pg_stat_user_indexes
       WHERE schemaname = current_schema() AND indexrelname = 'outbox_by_lane'`,
    )) as [{ n: number }];
    return row.n;
  };

  it('takes a batch by reading about as many lane index entries as rows it takes', async () => {
    const [{ reltuples }] = (await bed.dataSource.query(
      `SELECT reltuples FROM pg_class WHERE oid = 'outbox'::regclass`,
    )) as [{ reltuples: number }];
    expect(reltuples).toBe(-1);
    const before = await laneIndexEntriesRead();
    const lanes = Array.from({ length: OUTBOX_LANES / 2 }, (_, lane) => lane);

    const held = await bed.outbox.takeLanes(lanes, {
      maxLanes: lanes.length,
      limit: BATCH,
      idleLimitMs: 30_000,
    });
    expect(held?.rows).toHaveLength(BATCH);
    await held?.abandon();

    // A backend reports its statistics within a second or so of going idle.
    let read = 0;
    await waitFor(
      async () => {
        read = (await laneIndexEntriesRead()) - before;
        return read > 0;
      },
      { timeoutMs: 15_000, description: 'the claim’s index reads to be reported' },
    );
    // Reading whole lanes would be about half the backlog: 50,000 entries.
    expect(read).toBeLessThanOrEqual(2 * BATCH);
  }, 60_000);
});
