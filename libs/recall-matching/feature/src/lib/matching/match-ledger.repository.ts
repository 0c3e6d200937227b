import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { PatientValue, UdiValue } from '@implant-trace/contracts';
import { EVENTS } from '@implant-trace/contracts';
import type { Clock } from '@implant-trace/domain-kernel';
import { uuidV7 } from '@implant-trace/identifiers';
import { copyRows } from '@implant-trace/platform-database';
import { EventPublisher } from '@implant-trace/platform-messaging';
import {
  decideMatchChange,
  withdrawalCauseOf,
  type MatchKind,
  type ProjectedStatus,
  type WithdrawalCause,
} from '@implant-trace/recall-matching-domain';

import { RECALL_MATCHING_CLOCK } from '../recall-matching.options';

/** An implant the criteria cover now. */
export interface DesiredMatch {
  implantId: string;
  hospitalOds: string;
  kind: MatchKind;
  patient: PatientValue;
  udi: UdiValue;
}

/** A match row of the recall, with its implant's status (for the withdrawal's reason). */
export interface HeldMatchRow {
  matchId: string;
  implantId: string;
  hospitalOds: string;
  kind: MatchKind;
  live: boolean;
  implantStatus: ProjectedStatus;
}

export interface LedgerChanges {
  found: number;
  withdrawn: number;
}

type HeldQueryRow = {
  match_id: string;
  implant_id: string;
  hospital_ods: string;
  kind: MatchKind;
  live: boolean;
  status: ProjectedStatus;
};

/** A recall's match rows, all or those of some implants or identifiers. */
export const HELD_MATCHES_SQL = `
  SELECT m.match_id, m.implant_id, m.hospital_ods, m.kind, m.live, i.status
  FROM matches m JOIN implants i ON i.implant_id = m.implant_id
  WHERE m.recall_id = $1
    AND ($2::uuid[] IS NULL OR m.implant_id = ANY($2::uuid[]))
    AND ($3::text[] IS NULL OR i.device_identifier = ANY($3::text[]))`;

const heldOf = (row: HeldQueryRow): HeldMatchRow => ({
  matchId: row.match_id,
  implantId: row.implant_id,
  hospitalOds: row.hospital_ods,
  kind: row.kind,
  live: row.live,
  implantStatus: row.status,
});

/**
 * The matches of each recall, and the events that tell hospitals about them. Given what the
 * criteria cover now and what is held, it writes and publishes only the difference, in the
 * caller's transaction (outbox), so a redelivered fact or an unchanged recall publishes nothing.
 */
@Injectable()
export class MatchLedgerRepository {
  constructor(
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(RECALL_MATCHING_CLOCK) private readonly clock: Clock,
  ) {}

  /** Every match row of a recall, or only those of some implants or identifiers. */
  async held(
    tx: EntityManager,
    recallId: string,
    scope: { implantIds?: readonly string[]; identifiers?: readonly string[] } = {},
  ): Promise<HeldMatchRow[]> {
    const rows = (await tx.query(HELD_MATCHES_SQL, [
      recallId,
      scope.implantIds ?? null,
      scope.identifiers ?? null,
    ])) as HeldQueryRow[];
    return rows.map(heldOf);
  }

  async reconcile(
    tx: EntityManager,
    recallId: string,
    desired: readonly DesiredMatch[],
    held: readonly HeldMatchRow[],
    otherwise: Exclude<WithdrawalCause, 'explanted' | 'entered-in-error'>,
  ): Promise<LedgerChanges> {
    const now = this.clock.now();
    const at = now.toISOString();
    const heldByImplant = new Map(held.map((row) => [row.implantId, row]));
    const desiredByImplant = new Map(desired.map((row) => [row.implantId, row]));
    const inserts: { matchId: string; match: DesiredMatch }[] = [];
    const revivals: { matchId: string; match: DesiredMatch }[] = [];
    const withdrawals: { row: HeldMatchRow; reason: WithdrawalCause }[] = [];
    for (const implantId of new Set([...heldByImplant.keys(), ...desiredByImplant.keys()])) {
      const row = heldByImplant.get(implantId);
      const want = desiredByImplant.get(implantId);
      const change = decideMatchChange(row, want?.kind);
      // A withdrawal needs a held row and a finding a wanted one: the policy guarantees both.
      if (change.action === 'withdraw' && row !== undefined) {
        withdrawals.push({ row, reason: withdrawalCauseOf(row.implantStatus, otherwise) });
      } else if (change.action !== 'none' && change.action !== 'withdraw' && want !== undefined) {
        if (row === undefined) inserts.push({ matchId: uuidV7(), match: want });
        else revivals.push({ matchId: row.matchId, match: want });
      }
    }
    await copyRows(
      tx,
      'matches (match_id, recall_id, implant_id, hospital_ods, kind, live, found_at)',
      inserts.map(({ matchId, match }) => [
        matchId,
        recallId,
        match.implantId,
        match.hospitalOds,
        match.kind,
        true,
        at,
      ]),
    );
    if (revivals.length > 0) {
      await tx.query(
        `UPDATE matches m SET kind = u.kind, live = true, found_at = $3,
           withdrawn_at = NULL, withdrawal_reason = NULL
         FROM unnest($1::uuid[], $2::text[]) AS u(match_id, kind)
         WHERE m.match_id = u.match_id`,
        [revivals.map((r) => r.matchId), revivals.map((r) => r.match.kind), now],
      );
    }
    if (withdrawals.length > 0) {
      await tx.query(
        `UPDATE matches m SET live = false, withdrawn_at = $3, withdrawal_reason = u.reason
         FROM unnest($1::uuid[], $2::text[]) AS u(match_id, reason)
         WHERE m.match_id = u.match_id`,
        [withdrawals.map((w) => w.row.matchId), withdrawals.map((w) => w.reason), now],
      );
    }
    const found = [...inserts, ...revivals];
    if (found.length > 0) {
      await this.publisher.publishMany(
        tx,
        EVENTS.recallMatchFoundV1,
        found.map(({ matchId, match }) => ({
          data: {
            matchId,
            recallId,
            implantId: match.implantId,
            hospitalOds: match.hospitalOds,
            match: match.kind,
            patient: match.patient,
            udi: match.udi,
            foundAt: at,
          },
        })),
      );
    }
    if (withdrawals.length > 0) {
      await this.publisher.publishMany(
        tx,
        EVENTS.recallMatchWithdrawnV1,
        withdrawals.map(({ row, reason }) => ({
          data: {
            matchId: row.matchId,
            recallId,
            implantId: row.implantId,
            hospitalOds: row.hospitalOds,
            reason,
            withdrawnAt: at,
          },
        })),
      );
    }
    return { found: found.length, withdrawn: withdrawals.length };
  }
}
