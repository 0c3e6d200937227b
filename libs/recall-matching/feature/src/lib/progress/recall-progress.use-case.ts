import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import type { FOLLOW_UP_OUTCOMES } from '@implant-trace/contracts';
import { todayInLondon, type Clock } from '@implant-trace/domain-kernel';
import {
  isOverdue,
  RecallNotFoundError,
  type AcknowledgementStage,
} from '@implant-trace/recall-matching-domain';

import { CatchUpTracker } from '@implant-trace/platform-messaging';

import { AFFECTED_MATCH } from '../matching/affected-matches.util';
import { projectionStateOf, type ProjectionState } from '../recalls/recall-query.use-case';
import { RECALL_MATCHING_CLOCK } from '../recall-matching.options';
import { RecallEntity } from '../recalls/recall.entity';

export interface AffectedCounts {
  implants: number;
  patients: number;
  hospitals: number;
}

export interface HospitalProgress {
  ods: string;
  implants: number;
  patients: number;
  possible: { implants: number; patients: number };
  /** When the first match was published to the hospital. */
  notifiedAt?: string;
  acknowledgement?: { stage: AcknowledgementStage; at: string };
  overdue: boolean;
}

/** The regulator's view of a recall: counts and stages per hospital, never a patient. */
export interface RecallProgress {
  recallId: string;
  status: 'open' | 'closed';
  affected: AffectedCounts;
  possible: AffectedCounts;
  byHospital: HospitalProgress[];
  followUp: Partial<Record<(typeof FOLLOW_UP_OUTCOMES)[number], number>>;
  /** Acknowledgements and late implants may not all be in yet. */
  projection: ProjectionState;
}

/** A recall's affected matches counted per hospital and in all, by matches_by_recall_hospital. */
export const PROGRESS_COUNTS_SQL = `
  SELECT m.hospital_ods,
    count(*) FILTER (WHERE m.kind = 'matched')::int AS implants,
    count(DISTINCT i.patient_key) FILTER (WHERE m.kind = 'matched')::int AS patients,
    count(*) FILTER (WHERE m.kind = 'possible')::int AS possible_implants,
    count(DISTINCT i.patient_key) FILTER (WHERE m.kind = 'possible')::int AS possible_patients,
    count(DISTINCT m.hospital_ods) FILTER (WHERE m.kind = 'matched')::int AS matched_hospitals,
    count(DISTINCT m.hospital_ods) FILTER (WHERE m.kind = 'possible')::int AS possible_hospitals,
    min(m.found_at) AS notified_at
  FROM matches m JOIN implants i ON i.implant_id = m.implant_id
  WHERE m.recall_id = $1 AND ${AFFECTED_MATCH}
  GROUP BY GROUPING SETS ((m.hospital_ods), ())`;

type CountRow = {
  hospital_ods: string | null;
  implants: number;
  patients: number;
  possible_implants: number;
  possible_patients: number;
  matched_hospitals: number;
  possible_hospitals: number;
  notified_at: Date | null;
};

@Injectable()
export class RecallProgressUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RECALL_MATCHING_CLOCK) private readonly clock: Clock,
    @Inject(CatchUpTracker) private readonly catchUp: CatchUpTracker,
  ) {}

  async execute(recallId: string): Promise<RecallProgress> {
    const projection = projectionStateOf(this.catchUp);
    const recall = await this.dataSource.manager.findOne(RecallEntity, { where: { recallId } });
    if (recall === null) throw new RecallNotFoundError(recallId);
    const counts = (await this.dataSource.query(PROGRESS_COUNTS_SQL, [recallId])) as CountRow[];
    const acknowledgements = (await this.dataSource.query(
      `SELECT hospital_ods, stage, acknowledged_at FROM acknowledgements WHERE recall_id = $1`,
      [recallId],
    )) as { hospital_ods: string; stage: AcknowledgementStage; acknowledged_at: Date }[];
    const followUps = (await this.dataSource.query(
      `SELECT m.follow_up_outcome AS outcome, count(*)::int AS n FROM matches m
       WHERE m.recall_id = $1 AND ${AFFECTED_MATCH} AND m.follow_up_outcome IS NOT NULL
       GROUP BY m.follow_up_outcome ORDER BY m.follow_up_outcome`,
      [recallId],
    )) as { outcome: (typeof FOLLOW_UP_OUTCOMES)[number]; n: number }[];

    const total = counts.find((row) => row.hospital_ods === null);
    const perHospital = new Map(
      counts.flatMap((row) => (row.hospital_ods === null ? [] : [[row.hospital_ods, row]])),
    );
    const acknowledged = new Map(acknowledgements.map((row) => [row.hospital_ods, row]));
    const today = todayInLondon(this.clock);
    const deadlines = {
      status: recall.status,
      ...(recall.details.actionsUnderwayBy === undefined
        ? {}
        : { actionsUnderwayBy: recall.details.actionsUnderwayBy }),
      ...(recall.details.actionsCompleteBy === undefined
        ? {}
        : { actionsCompleteBy: recall.details.actionsCompleteBy }),
    };
    const hospitals = [...new Set([...perHospital.keys(), ...acknowledged.keys()])].sort();
    return {
      recallId,
      status: recall.status,
      affected: {
        implants: total?.implants ?? 0,
        patients: total?.patients ?? 0,
        hospitals: total?.matched_hospitals ?? 0,
      },
      possible: {
        implants: total?.possible_implants ?? 0,
        patients: total?.possible_patients ?? 0,
        hospitals: total?.possible_hospitals ?? 0,
      },
      byHospital: hospitals.map((ods): HospitalProgress => {
        const row = perHospital.get(ods);
        const ack = acknowledged.get(ods);
        return {
          ods,
          implants: row?.implants ?? 0,
          patients: row?.patients ?? 0,
          possible: {
            implants: row?.possible_implants ?? 0,
            patients: row?.possible_patients ?? 0,
          },
          ...(row?.notified_at == null ? {} : { notifiedAt: row.notified_at.toISOString() }),
          ...(ack === undefined
            ? {}
            : { acknowledgement: { stage: ack.stage, at: ack.acknowledged_at.toISOString() } }),
          overdue: isOverdue(deadlines, ack?.stage, today),
        };
      }),
      followUp: Object.fromEntries(followUps.map((row) => [row.outcome, row.n])),
      projection,
    };
  }
}
