import type { QueryRunner } from 'typeorm';

import type { ClaimedRow } from './outbox.repository';

const MAX_ERROR_LENGTH = 2000;

/** A row that failed when sent on its own, to be charged with the failure. */
export interface FailedSend {
  row: ClaimedRow;
  reason: string;
  /** Refused for good by the broker: parked at once. */
  refused: boolean;
}

/** The lanes' transaction ended before the relay committed: another relay has their rows now. */
export class LaneLostError extends Error {
  constructor(
    readonly lanes: readonly number[],
    readonly rows: number,
    cause: unknown,
  ) {
    super(
      `outbox lanes ${lanes.join(', ')} were lost before their ${rows} sent rows were committed as sent ` +
        `(${cause instanceof Error ? cause.message : String(cause)}); another relay sends them ` +
        `again and consumers' inboxes absorb the copy`,
      { cause },
    );
    this.name = 'LaneLostError';
  }
}

/**
 * Lanes held for one batch, in one transaction: their rows are already deleted inside it, so
 * committing it is what records them as sent, and a relay that dies before committing gives
 * them back with the lanes.
 */
export class HeldLanes {
  constructor(
    private readonly runner: QueryRunner,
    readonly lanes: readonly number[],
    readonly rows: ClaimedRow[],
  ) {}

  /** A statement on the lanes' session, so PostgreSQL sees the relay alive while it sends. */
  async keepAlive(): Promise<void> {
    await this.runner.query(`SELECT 1`);
  }

  /**
   * Ends the batch: the sent rows stay deleted, every other row comes back, and each failed
   * row is charged (parked if refused or failed `maxFailures` times). Returns the rows parked.
   * Throws {@link LaneLostError} when the transaction was ended under the relay.
   */
  async finish(
    sent: readonly ClaimedRow[],
    failed: readonly FailedSend[],
    maxFailures: number,
  ): Promise<ClaimedRow[]> {
    const parked: ClaimedRow[] = [];
    try {
      if (sent.length < this.rows.length) {
        await this.runner.query(`ROLLBACK TO SAVEPOINT taken`);
        if (sent.length > 0) {
          await this.runner.query(`DELETE FROM outbox WHERE id = ANY($1::bigint[])`, [
            sent.map((row) => row.id),
          ]);
        }
        for (const failure of failed) {
          if (await this.charge(failure, maxFailures)) parked.push(failure.row);
        }
      }
      await this.runner.commitTransaction();
    } catch (error) {
      await this.abandon();
      throw new LaneLostError(this.lanes, sent.length, error);
    }
    await this.runner.release();
    return parked;
  }

  /** Gives every row back (a relay stopping, or an error before anything was decided). */
  async abandon(): Promise<void> {
    if (this.runner.isReleased) return;
    // A session PostgreSQL already ended has nothing to roll back.
    await this.runner.rollbackTransaction().catch(() => undefined);
    await this.runner.release();
  }

  private async charge(failure: FailedSend, maxFailures: number): Promise<boolean> {
    const [rows] = (await this.runner.query(
      `UPDATE outbox SET send_failures = send_failures + 1, last_error = $2,
              parked_at = CASE WHEN $3 OR send_failures + 1 >= $4 THEN clock_timestamp() END,
              parked_reason = CASE WHEN $3 OR send_failures + 1 >= $4 THEN $2 END
       WHERE id = $1
       RETURNING parked_at IS NOT NULL AS parked`,
      [failure.row.id, failure.reason.slice(0, MAX_ERROR_LENGTH), failure.refused, maxFailures],
    )) as [{ parked: boolean }[], number];
    return rows[0]?.parked === true;
  }
}
