import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { FOLLOW_UP_OUTCOMES, PatientValue, UdiValue } from '@implant-trace/contracts';
import { EVENTS } from '@implant-trace/contracts';
import type { Clock } from '@implant-trace/domain-kernel';
import { uuidV7 } from '@implant-trace/identifiers';
import type { Principal } from '@implant-trace/platform-auth';
import { assertOwnHospital } from '@implant-trace/platform-auth';
import { UnitOfWork } from '@implant-trace/platform-database';
import { EventPublisher } from '@implant-trace/platform-messaging';
import {
  MatchNotFoundError,
  type MatchKind,
  RecallNotFoundError,
} from '@implant-trace/recall-matching-domain';

import { AFFECTED_MATCH } from '../matching/affected-matches.util';
import { MatchEntity } from '../matching/match.entity';
import { RECALL_MATCHING_CLOCK } from '../recall-matching.options';
import { RecallEntity } from '../recalls/recall.entity';
import { FollowUpEntity } from './follow-up.entity';
import { MATCHES_PAGE_DEFAULT, type FollowUpDto } from './hospital-matches.dto';

type Outcome = (typeof FOLLOW_UP_OUTCOMES)[number];

/** One affected implant, for the hospital that holds it: the patient is named. */
export interface HospitalMatch {
  matchId: string;
  implantId: string;
  match: MatchKind;
  patient: PatientValue;
  udi: UdiValue;
  foundAt: string;
  followUp?: { outcome: Outcome; at: string };
}

export interface RecordedFollowUp {
  matchId: string;
  outcome: Outcome;
  recordedAt: string;
}

/** One page of a hospital's affected implants under a recall, by matches_by_recall_hospital. */
export const HOSPITAL_MATCHES_SQL = `
  SELECT m.match_id, m.implant_id, m.kind, i.patient, i.udi, m.found_at,
         m.follow_up_outcome, m.follow_up_at
  FROM matches m JOIN implants i ON i.implant_id = m.implant_id
  WHERE m.recall_id = $1 AND m.hospital_ods = $2 AND ${AFFECTED_MATCH}
    AND ($3::uuid IS NULL OR m.match_id > $3::uuid)
  ORDER BY m.match_id
  LIMIT $4`;

type MatchRow = {
  match_id: string;
  implant_id: string;
  kind: MatchKind;
  patient: PatientValue;
  udi: UdiValue;
  found_at: Date;
  follow_up_outcome: Outcome | null;
  follow_up_at: Date | null;
};

/** A hospital's own affected patients under a recall, and what it did for each. */
@Injectable()
export class HospitalMatchesUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(RECALL_MATCHING_CLOCK) private readonly clock: Clock,
  ) {}

  async list(
    recallId: string,
    hospitalOds: string,
    page: { limit?: number; cursor?: string },
  ): Promise<{ items: HospitalMatch[]; nextCursor: string | null }> {
    const exists = await this.dataSource.manager.exists(RecallEntity, { where: { recallId } });
    if (!exists) throw new RecallNotFoundError(recallId);
    const limit = page.limit ?? MATCHES_PAGE_DEFAULT;
    const rows = (await this.dataSource.query(HOSPITAL_MATCHES_SQL, [
      recallId,
      hospitalOds,
      page.cursor ?? null,
      limit + 1,
    ])) as MatchRow[];
    const items = rows.slice(0, limit).map((row): HospitalMatch => ({
      matchId: row.match_id,
      implantId: row.implant_id,
      match: row.kind,
      patient: row.patient,
      udi: row.udi,
      foundAt: row.found_at.toISOString(),
      ...(row.follow_up_outcome === null || row.follow_up_at === null
        ? {}
        : { followUp: { outcome: row.follow_up_outcome, at: row.follow_up_at.toISOString() } }),
    }));
    return {
      items,
      nextCursor: rows.length > limit ? (items.at(-1)?.matchId ?? null) : null,
    };
  }

  recordFollowUp(
    recallId: string,
    matchId: string,
    body: FollowUpDto,
    principal: Principal,
  ): Promise<RecordedFollowUp> {
    return this.unitOfWork.run(async (tx) => {
      const match = await tx.findOne(MatchEntity, {
        where: { matchId, recallId },
        lock: { mode: 'pessimistic_write' },
      });
      if (match === null) throw new MatchNotFoundError(matchId);
      assertOwnHospital(principal, match.hospitalOds);
      const recordedAt = this.clock.now();
      await tx.insert(FollowUpEntity, {
        followUpId: uuidV7(),
        matchId,
        outcome: body.outcome,
        note: body.note ?? null,
        recordedAt,
        recordedBy: principal.sub,
      });
      await tx.update(
        MatchEntity,
        { matchId },
        { followUpOutcome: body.outcome, followUpAt: recordedAt },
      );
      await this.publisher.publish(tx, EVENTS.recallFollowUpRecordedV1, {
        recallId,
        matchId,
        hospitalOds: match.hospitalOds,
        outcome: body.outcome,
        ...(body.note === undefined ? {} : { note: body.note }),
        recordedAt: recordedAt.toISOString(),
        recordedBy: principal.sub,
      });
      return { matchId, outcome: body.outcome, recordedAt: recordedAt.toISOString() };
    });
  }
}
