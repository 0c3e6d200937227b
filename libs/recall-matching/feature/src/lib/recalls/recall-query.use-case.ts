import { Inject, Injectable } from '@nestjs/common';
import { DataSource } from 'typeorm';

import { CatchUpTracker } from '@implant-trace/platform-messaging';

import type { RecallCriteriaValue } from '@implant-trace/contracts';
import { prepareRecallTerms } from '@implant-trace/recall-matching-domain';

import { matchCountsQuery } from '../matching/criteria-sql.util';
import { RecallMatcher } from '../matching/recall-matcher';

export interface Counts {
  implants: number;
  patients: number;
}

/** Whether the counts can be short: the projection has not yet applied everything published. */
export interface ProjectionState {
  caughtUp: boolean;
  doubts: string[];
}

/** A dry run's answer: counts only, never a patient. */
export interface RecallQueryAnswer {
  matched: Counts;
  possible: Counts;
  byHospital: { ods: string; matched: Counts; possible: Counts }[];
  projection: ProjectionState;
}

export function projectionStateOf(catchUp: CatchUpTracker): ProjectionState {
  const doubts = catchUp.doubts();
  return { caughtUp: doubts.length === 0, doubts };
}

type CountRow = {
  hospital_ods: string | null;
  matched_implants: number;
  matched_patients: number;
  possible_implants: number;
  possible_patients: number;
};

const countsOf = (row: CountRow | undefined) => ({
  matched: { implants: row?.matched_implants ?? 0, patients: row?.matched_patients ?? 0 },
  possible: { implants: row?.possible_implants ?? 0, patients: row?.possible_patients ?? 0 },
});

/** What a recall with these criteria would cover now; nothing is stored or sent. */
@Injectable()
export class RecallQueryUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RecallMatcher) private readonly matcher: RecallMatcher,
    @Inject(CatchUpTracker) private readonly catchUp: CatchUpTracker,
  ) {}

  async execute(given: RecallCriteriaValue): Promise<RecallQueryAnswer> {
    const { criteria } = prepareRecallTerms({ criteria: given });
    // Read first: a doubt cleared during the query still leaves the counts possibly short.
    const projection = projectionStateOf(this.catchUp);
    const scope = await this.matcher.candidates(this.dataSource.manager, criteria);
    const query = matchCountsQuery(criteria, scope.deviceIds);
    const rows = (await this.dataSource.query(query.sql, query.parameters)) as CountRow[];
    const total = rows.find((row) => row.hospital_ods === null);
    return {
      ...countsOf(total),
      byHospital: rows.flatMap((row) =>
        row.hospital_ods === null ? [] : [{ ods: row.hospital_ods, ...countsOf(row) }],
      ),
      projection,
    };
  }
}
