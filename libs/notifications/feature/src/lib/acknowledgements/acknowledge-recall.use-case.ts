import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource } from 'typeorm';

import { EVENTS } from '@implant-trace/contracts';
import { type Clock, ConflictError, NotFoundError } from '@implant-trace/domain-kernel';
import {
  ACKNOWLEDGEMENT_STAGE_ORDER,
  type AcknowledgementStage,
  decideStage,
} from '@implant-trace/notifications-domain';
import { UnitOfWork } from '@implant-trace/platform-database';
import { EventPublisher } from '@implant-trace/platform-messaging';

import { NOTIFICATIONS_CLOCK } from '../notifications.options';
import { AcknowledgementEntity } from './acknowledgement.entity';

export interface AcknowledgementView {
  recallId: string;
  hospitalOds: string;
  stage: AcknowledgementStage;
  acknowledgedAt: string;
  /** Every stage reached so far, oldest first, each with its time. */
  history: { stage: AcknowledgementStage; at: string; by: string; note?: string }[];
}

export interface AcknowledgeCommand {
  recallId: string;
  hospitalOds: string;
  stage: AcknowledgementStage;
  note?: string;
  acknowledgedBy: string;
}

function furthest(rows: AcknowledgementEntity[]): AcknowledgementEntity | undefined {
  return rows.reduce<AcknowledgementEntity | undefined>(
    (best, row) =>
      best === undefined || decideStage(best.stage, row.stage).kind === 'advance' ? row : best,
    undefined,
  );
}

function viewOf(
  recallId: string,
  hospitalOds: string,
  rows: AcknowledgementEntity[],
): AcknowledgementView | undefined {
  const ordered = [...rows].sort(
    (a, b) =>
      a.acknowledgedAt.getTime() - b.acknowledgedAt.getTime() ||
      ACKNOWLEDGEMENT_STAGE_ORDER.indexOf(a.stage) - ACKNOWLEDGEMENT_STAGE_ORDER.indexOf(b.stage),
  );
  const current = furthest(ordered);
  if (current === undefined) return undefined;
  return {
    recallId,
    hospitalOds,
    stage: current.stage,
    acknowledgedAt: current.acknowledgedAt.toISOString(),
    history: ordered.map((row) => ({
      stage: row.stage,
      at: row.acknowledgedAt.toISOString(),
      by: row.acknowledgedBy,
      ...(row.note === null ? {} : { note: row.note }),
    })),
  };
}

/**
 * A hospital's acknowledgement of a recall notice moves forward one stage at a time and is
 * published for the regulator's progress view in the same transaction as it is recorded.
 */
@Injectable()
export class AcknowledgeRecallUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
  ) {}

  async execute(command: AcknowledgeCommand): Promise<AcknowledgementView> {
    const { recallId, hospitalOds, stage } = command;
    return this.unitOfWork.run(async (tx) => {
      await this.assertNoticeReached(tx, recallId, hospitalOds);
      // Two stages posted at once must not both pass the forward-only check.
      await tx.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
        `acknowledgement:${recallId}:${hospitalOds}`,
      ]);
      const rows = await tx.find(AcknowledgementEntity, { where: { recallId, hospitalOds } });
      const decision = decideStage(furthest(rows)?.stage, stage);
      if (decision.kind === 'refused') {
        throw new ConflictError(decision.reason, [{ field: 'stage', message: decision.reason }]);
      }
      const now = this.clock.now();
      const row: AcknowledgementEntity = {
        recallId,
        hospitalOds,
        stage,
        note: command.note ?? null,
        acknowledgedAt: now,
        acknowledgedBy: command.acknowledgedBy,
      };
      await tx.insert(AcknowledgementEntity, row);
      await this.publisher.publish(tx, EVENTS.recallAcknowledgedV1, {
        recallId,
        hospitalOds,
        stage,
        ...(command.note === undefined ? {} : { note: command.note }),
        acknowledgedAt: now.toISOString(),
        acknowledgedBy: command.acknowledgedBy,
      });
      return viewOf(recallId, hospitalOds, [...rows, row]) as AcknowledgementView;
    });
  }

  async current(recallId: string, hospitalOds: string): Promise<AcknowledgementView> {
    const rows = await this.dataSource.manager.find(AcknowledgementEntity, {
      where: { recallId, hospitalOds },
    });
    const view = viewOf(recallId, hospitalOds, rows);
    if (view === undefined) throw new NotFoundError(`No acknowledgement of recall ${recallId}`);
    return view;
  }

  /** Only a hospital that was told about a recall can acknowledge it. */
  private async assertNoticeReached(tx: EntityManager, recallId: string, hospitalOds: string) {
    const found = (await tx.query(
      `SELECT 1 FROM feed_events WHERE hospital_ods = $1 AND recall_id = $2 LIMIT 1`,
      [hospitalOds, recallId],
    )) as unknown[];
    if (found.length === 0) {
      throw new NotFoundError(`No notice of recall ${recallId} reached this hospital`);
    }
  }
}
