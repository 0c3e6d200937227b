import { Inject, Injectable } from '@nestjs/common';
import { DataSource, IsNull, Raw } from 'typeorm';

import type { PatientValue, UdiValue } from '@implant-trace/contracts';
import { type Clock, NotFoundError } from '@implant-trace/domain-kernel';
import { assertReviewOpen } from '@implant-trace/implant-events-domain';
import type { Principal } from '@implant-trace/platform-auth';
import { assertOwnHospital } from '@implant-trace/platform-auth';
import { UnitOfWork } from '@implant-trace/platform-database';

import { IMPLANT_EVENTS_CLOCK } from '../implant-events.options';
import { ImplantEntity } from '../record-implant/implant.entity';

export interface ReviewItem {
  implantId: string;
  patient: PatientValue;
  udi: UdiValue;
  verdict: string;
  status: ImplantEntity['status'];
  implantedAt: string;
  recordedAt: string;
  recordedBy: string;
  reviewFlags: string[];
  warnings: string[];
}

export interface ReviewResolution {
  implantId: string;
  resolvedAt: string;
}

/** The implants of a hospital flagged at recording and not yet resolved, oldest first. */
@Injectable()
export class ReviewQueueUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(IMPLANT_EVENTS_CLOCK) private readonly clock: Clock,
  ) {}

  async open(hospitalOds: string): Promise<{ items: ReviewItem[] }> {
    const rows = await this.dataSource.manager.find(ImplantEntity, {
      where: {
        hospitalOds,
        reviewResolvedAt: IsNull(),
        reviewFlags: Raw((column) => `cardinality(${column}) > 0`),
      },
      order: { recordedAt: 'ASC', implantId: 'ASC' },
    });
    return {
      items: rows.map((row) => ({
        implantId: row.implantId,
        patient: row.patient,
        udi: row.udi,
        verdict: row.verdict,
        status: row.status,
        implantedAt: row.implantedAt.toISOString(),
        recordedAt: row.recordedAt.toISOString(),
        recordedBy: row.recordedBy,
        reviewFlags: row.reviewFlags,
        warnings: row.warnings,
      })),
    };
  }

  resolve(implantId: string, note: string, principal: Principal): Promise<ReviewResolution> {
    return this.unitOfWork.run(async (transaction) => {
      const implant = await transaction.findOne(ImplantEntity, {
        where: { implantId },
        lock: { mode: 'pessimistic_write' },
      });
      if (implant === null) throw new NotFoundError(`No implant ${implantId}`);
      assertOwnHospital(principal, implant.hospitalOds);
      assertReviewOpen({ reviewFlags: implant.reviewFlags, resolvedAt: implant.reviewResolvedAt });
      const resolvedAt = this.clock.now();
      await transaction.update(
        ImplantEntity,
        { implantId },
        { reviewResolvedAt: resolvedAt, reviewResolvedBy: principal.sub, reviewNote: note },
      );
      return { implantId, resolvedAt: resolvedAt.toISOString() };
    });
  }
}
