import { Inject, Injectable } from '@nestjs/common';

import { EVENTS } from '@implant-trace/contracts';
import { type Clock, NotFoundError } from '@implant-trace/domain-kernel';
import type { ImplantStatus } from '@implant-trace/implant-events-domain';
import { nextImplantStatus } from '@implant-trace/implant-events-domain';
import type { Principal } from '@implant-trace/platform-auth';
import { assertOwnHospital } from '@implant-trace/platform-auth';
import { UnitOfWork } from '@implant-trace/platform-database';
import { EventPublisher } from '@implant-trace/platform-messaging';
import type { EntityManager } from 'typeorm';

import { IMPLANT_EVENTS_CLOCK } from '../implant-events.options';
import { ImplantEntity } from '../record-implant/implant.entity';

export interface ImplantStatusAnswer {
  implantId: string;
  status: ImplantStatus;
}

/**
 * Explant and entered-in-error: the row is locked, the transition decided by the domain's
 * state machine, and the new status and its event commit together. Nothing is deleted.
 */
@Injectable()
export class ImplantLifecycleUseCase {
  constructor(
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(IMPLANT_EVENTS_CLOCK) private readonly clock: Clock,
  ) {}

  explant(
    implantId: string,
    change: { explantedAt?: string; reason?: string },
    principal: Principal,
  ): Promise<ImplantStatusAnswer> {
    return this.unitOfWork.run(async (transaction) => {
      const implant = await this.lockOwn(transaction, implantId, principal);
      const status = nextImplantStatus(implant.status, 'explant');
      const explantedAt = change.explantedAt ?? this.clock.now().toISOString();
      await this.saveStatus(transaction, implant, status, explantedAt, principal, change.reason);
      await this.publisher.publish(transaction, EVENTS.implantExplantedV1, {
        implantId,
        hospitalOds: implant.hospitalOds,
        explantedAt: new Date(explantedAt).toISOString(),
        ...(change.reason === undefined ? {} : { reason: change.reason }),
        recordedBy: principal.sub,
      });
      return { implantId, status };
    });
  }

  enterInError(
    implantId: string,
    reason: string,
    principal: Principal,
  ): Promise<ImplantStatusAnswer> {
    return this.unitOfWork.run(async (transaction) => {
      const implant = await this.lockOwn(transaction, implantId, principal);
      const status = nextImplantStatus(implant.status, 'enter-in-error');
      const correctedAt = this.clock.now().toISOString();
      await this.saveStatus(transaction, implant, status, correctedAt, principal, reason);
      await this.publisher.publish(transaction, EVENTS.implantEnteredInErrorV1, {
        implantId,
        hospitalOds: implant.hospitalOds,
        reason,
        correctedAt,
        recordedBy: principal.sub,
      });
      return { implantId, status };
    });
  }

  private async lockOwn(
    transaction: EntityManager,
    implantId: string,
    principal: Principal,
  ): Promise<ImplantEntity> {
    const implant = await transaction.findOne(ImplantEntity, {
      where: { implantId },
      lock: { mode: 'pessimistic_write' },
    });
    if (implant === null) throw new NotFoundError(`No implant ${implantId}`);
    assertOwnHospital(principal, implant.hospitalOds);
    return implant;
  }

  private async saveStatus(
    transaction: EntityManager,
    implant: ImplantEntity,
    status: ImplantStatus,
    changedAt: string,
    principal: Principal,
    reason: string | undefined,
  ): Promise<void> {
    await transaction.update(
      ImplantEntity,
      { implantId: implant.implantId },
      {
        status,
        statusChangedAt: new Date(changedAt),
        statusChangedBy: principal.sub,
        statusReason: reason ?? null,
      },
    );
  }
}
