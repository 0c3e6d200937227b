import { Inject, Injectable } from '@nestjs/common';
import { randomBytes } from 'node:crypto';
import { DataSource, type EntityManager, In, MoreThan, Not } from 'typeorm';

import { type Clock, InvalidInputError, NotFoundError } from '@implant-trace/domain-kernel';
import { uuidV7 } from '@implant-trace/identifiers';
import { UnitOfWork } from '@implant-trace/platform-database';

import { DeliveryEntity } from '../deliveries/delivery.entity';
import {
  NOTIFICATIONS_CLOCK,
  NOTIFICATIONS_OPTIONS,
  type NotificationsOptions,
} from '../notifications.options';
import { EndpointAddressChecker } from './endpoint-address.checker';
import type { CreateSubscriptionDto } from './subscription.dto';
import { SubscriptionEntity } from './subscription.entity';

export interface SubscriptionView {
  id: string;
  url: string;
  eventTypes: string[];
  description?: string;
  status: SubscriptionEntity['status'];
  statusReason?: string;
  createdAt: string;
  /** Until when the secret replaced by the last rotation still signs. */
  previousSecretExpiresAt?: string;
}

export interface SubscriptionWithSecret extends SubscriptionView {
  /** Shown this once; only the hospital holds it afterwards. */
  secret: string;
}

const DAY_SECONDS = 24 * 3600;

/** `whsec_` and 32 random bytes in base64, the form Standard Webhooks libraries read. */
function newSecret(): string {
  return `whsec_${randomBytes(32).toString('base64')}`;
}

function viewOf(row: SubscriptionEntity, now: Date): SubscriptionView {
  const expires = row.previousSecretExpiresAt;
  const graceOpen = expires !== null && expires.getTime() > now.getTime();
  return {
    id: row.subscriptionId,
    url: row.url,
    eventTypes: row.eventTypes,
    ...(row.description === null ? {} : { description: row.description }),
    status: row.status,
    ...(row.statusReason === null ? {} : { statusReason: row.statusReason }),
    createdAt: row.createdAt.toISOString(),
    ...(graceOpen ? { previousSecretExpiresAt: expires.toISOString() } : {}),
  };
}

/** A hospital's webhook endpoints; every call is confined to the caller's own hospital. */
@Injectable()
export class SubscriptionsUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(EndpointAddressChecker) private readonly addresses: EndpointAddressChecker,
    @Inject(NOTIFICATIONS_OPTIONS) private readonly options: NotificationsOptions,
    @Inject(NOTIFICATIONS_CLOCK) private readonly clock: Clock,
  ) {}

  async create(
    body: CreateSubscriptionDto,
    hospitalOds: string,
    createdBy: string,
  ): Promise<SubscriptionWithSecret> {
    const decision = await this.addresses.checkUrl(body.url);
    if (!decision.allowed) {
      throw new InvalidInputError('The endpoint URL is not allowed', [
        { field: 'url', message: decision.reason },
      ]);
    }
    const now = this.clock.now();
    const row: SubscriptionEntity = {
      subscriptionId: uuidV7(),
      hospitalOds,
      url: body.url,
      eventTypes: body.eventTypes,
      description: body.description ?? null,
      secret: newSecret(),
      previousSecret: null,
      previousSecretExpiresAt: null,
      status: 'active',
      statusReason: null,
      consecutiveFailures: 0,
      circuitOpenUntil: null,
      createdAt: now,
      createdBy,
      updatedAt: now,
    };
    await this.unitOfWork.run(async (tx) => {
      await tx.insert(SubscriptionEntity, row);
      // The hospital is registered: recall notices issued from now on reach its feed.
      await tx.query(
        `INSERT INTO hospital_feeds (hospital_ods, last_sequence, registered_at) VALUES ($1, 0, $2)
         ON CONFLICT (hospital_ods) DO UPDATE
           SET registered_at = coalesce(hospital_feeds.registered_at, EXCLUDED.registered_at)`,
        [hospitalOds, now],
      );
    });
    return { ...viewOf(row, now), secret: row.secret };
  }

  async list(
    hospitalOds: string,
    limit: number,
    cursor: string | undefined,
  ): Promise<{ items: SubscriptionView[]; nextCursor: string | null }> {
    const rows = await this.dataSource.manager.find(SubscriptionEntity, {
      where: {
        hospitalOds,
        status: Not('deleted'),
        ...(cursor === undefined ? {} : { subscriptionId: MoreThan(cursor) }),
      },
      order: { subscriptionId: 'ASC' },
      take: limit + 1,
    });
    const now = this.clock.now();
    const page = rows.slice(0, limit);
    return {
      items: page.map((row) => viewOf(row, now)),
      nextCursor: rows.length > limit ? (page.at(-1)?.subscriptionId ?? null) : null,
    };
  }

  /** Stops deliveries to the endpoint; its delivery history stays listed. */
  async delete(subscriptionId: string, hospitalOds: string): Promise<void> {
    await this.unitOfWork.run(async (tx) => {
      const row = await this.ownLocked(tx, subscriptionId, hospitalOds);
      const now = this.clock.now();
      await tx.update(
        SubscriptionEntity,
        { subscriptionId: row.subscriptionId },
        { status: 'deleted', statusReason: 'deleted by the hospital', updatedAt: now },
      );
      await tx.update(
        DeliveryEntity,
        { subscriptionId: row.subscriptionId, status: In(['pending']) },
        { status: 'cancelled', completedAt: now, lastError: 'subscription deleted' },
      );
    });
  }

  /**
   * A new secret, shown once. The old one keeps signing beside it for the grace period, so the
   * hospital can deploy the new one without losing a notice; after it only the new one signs.
   */
  async rotateSecret(
    subscriptionId: string,
    hospitalOds: string,
    gracePeriodSeconds: number | undefined,
  ): Promise<SubscriptionWithSecret> {
    const grace = gracePeriodSeconds ?? this.options.defaultSecretGraceSeconds ?? DAY_SECONDS;
    return this.unitOfWork.run(async (tx) => {
      const row = await this.ownLocked(tx, subscriptionId, hospitalOds);
      const now = this.clock.now();
      const rotated: SubscriptionEntity = {
        ...row,
        secret: newSecret(),
        previousSecret: grace === 0 ? null : row.secret,
        previousSecretExpiresAt: grace === 0 ? null : new Date(now.getTime() + grace * 1000),
        updatedAt: now,
      };
      await tx.update(
        SubscriptionEntity,
        { subscriptionId },
        {
          secret: rotated.secret,
          previousSecret: rotated.previousSecret,
          previousSecretExpiresAt: rotated.previousSecretExpiresAt,
          updatedAt: now,
        },
      );
      return { ...viewOf(rotated, now), secret: rotated.secret };
    });
  }

  /** Another hospital's subscription is answered exactly like a missing one. */
  private async ownLocked(
    tx: EntityManager,
    subscriptionId: string,
    hospitalOds: string,
  ): Promise<SubscriptionEntity> {
    const row = await tx.findOne(SubscriptionEntity, {
      where: { subscriptionId, hospitalOds, status: Not('deleted') },
      lock: { mode: 'pessimistic_write' },
    });
    if (row === null) throw new NotFoundError(`No subscription ${subscriptionId}`);
    return row;
  }
}
