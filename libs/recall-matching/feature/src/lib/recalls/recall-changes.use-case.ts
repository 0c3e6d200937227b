import { Inject, Injectable } from '@nestjs/common';

import type { RecallDetailsValue } from '@implant-trace/contracts';
import { EVENTS } from '@implant-trace/contracts';
import type { Clock } from '@implant-trace/domain-kernel';
import { uuidV7 } from '@implant-trace/identifiers';
import { UnitOfWork } from '@implant-trace/platform-database';
import { EventPublisher } from '@implant-trace/platform-messaging';
import {
  nextChangeTime,
  prepareRecallTerms,
  RecallClosedError,
} from '@implant-trace/recall-matching-domain';

import { lockForRecallChange } from '../matching/matching-locks.util';
import { RecallMatcher } from '../matching/recall-matcher';
import { RECALL_MATCHING_CLOCK } from '../recall-matching.options';
import type { ChangeRecallDto, IssueRecallDto } from './recall.dto';
import { RecallEntity } from './recall.entity';
import type { RecallChangeView } from './recall-view';
import { RecallsRepository } from './recalls.repository';

/** Only the fields given, so an absent optional field is absent from the event too. */
function definedOf<T extends object>(fields: T): Partial<T> {
  return Object.fromEntries(
    Object.entries(fields).filter(([, value]) => value !== undefined),
  ) as Partial<T>;
}

/**
 * Issue, change and close. Each holds the matching lock, so no implant fact is applied while
 * a recall's matches are decided; the recall, its event, the matches and their events commit
 * together. A change publishes only the difference: newly covered implants are found, those
 * no longer covered are withdrawn.
 */
@Injectable()
export class RecallChangesUseCase {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(RecallMatcher) private readonly matcher: RecallMatcher,
    @Inject(RecallsRepository) private readonly recalls: RecallsRepository,
    @Inject(RECALL_MATCHING_CLOCK) private readonly clock: Clock,
  ) {}

  issue(request: IssueRecallDto): Promise<RecallChangeView> {
    const body = prepareRecallTerms(request);
    return this.unitOfWork.run(async (tx) => {
      await lockForRecallChange(tx);
      const now = this.clock.now();
      const details: RecallDetailsValue = {
        ...definedOf(body),
        title: body.title,
        reason: body.reason,
        class: body.class,
        criteria: body.criteria,
        recallId: uuidV7(),
        status: 'open',
        issuedAt: now.toISOString(),
      };
      await tx.insert(RecallEntity, {
        recallId: details.recallId,
        status: 'open',
        details,
        issuedAt: now,
        updatedAt: now,
        closedAt: null,
      });
      await this.publisher.publish(tx, EVENTS.recallIssuedV1, details);
      const changes = await this.matcher.matchRecall(tx, details);
      return { ...(await this.recalls.view(details.recallId, tx)), changes };
    });
  }

  change(recallId: string, body: ChangeRecallDto): Promise<RecallChangeView> {
    return this.unitOfWork.run(async (tx) => {
      await lockForRecallChange(tx);
      const recall = await this.recalls.lock(tx, recallId);
      if (recall.status === 'closed') throw new RecallClosedError(recallId);
      const details: RecallDetailsValue = prepareRecallTerms({
        ...recall.details,
        ...definedOf(body),
      });
      const updatedAt = nextChangeTime(recall.updatedAt, this.clock.now());
      await tx.update(RecallEntity, { recallId }, { details, updatedAt });
      await this.publisher.publish(tx, EVENTS.recallUpdatedV1, {
        ...details,
        updatedAt: updatedAt.toISOString(),
      });
      const changes = await this.matcher.matchRecall(tx, details);
      return { ...(await this.recalls.view(recallId, tx)), changes };
    });
  }

  close(recallId: string, note: string | undefined): Promise<RecallChangeView> {
    return this.unitOfWork.run(async (tx) => {
      await lockForRecallChange(tx);
      const recall = await this.recalls.lock(tx, recallId);
      if (recall.status === 'closed') throw new RecallClosedError(recallId);
      const closedAt = nextChangeTime(recall.updatedAt, this.clock.now());
      const details: RecallDetailsValue = { ...recall.details, status: 'closed' };
      await tx.update(
        RecallEntity,
        { recallId },
        { status: 'closed', details, updatedAt: closedAt, closedAt },
      );
      await this.publisher.publish(tx, EVENTS.recallClosedV1, {
        recallId,
        closedAt: closedAt.toISOString(),
        ...(note === undefined ? {} : { note }),
      });
      const changes = await this.matcher.withdrawAll(tx, recallId);
      return { ...(await this.recalls.view(recallId, tx)), changes };
    });
  }
}
