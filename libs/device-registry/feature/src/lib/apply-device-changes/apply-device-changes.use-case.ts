import { Inject, Injectable } from '@nestjs/common';

import { EVENTS } from '@implant-trace/contracts';
import type {
  CatalogueView,
  ChangeOutcome,
  DeviceChange,
  DeviceRecord,
} from '@implant-trace/device-registry-domain';
import {
  ConcurrentCatalogueChangeError,
  decideChange,
  identifiersOf,
} from '@implant-trace/device-registry-domain';
import type { Clock } from '@implant-trace/domain-kernel';
import { uuidV7 } from '@implant-trace/identifiers';
import { EventPublisher } from '@implant-trace/platform-messaging';

import { DeviceCatalogueRepository } from '../catalogue/device-catalogue.repository';

const ATTEMPTS = 5;

export const DEVICE_CLOCK = Symbol('DEVICE_CLOCK');

/**
 * Applies a batch of catalogue changes in one transaction: decides each against the catalogue
 * as it stands (and as earlier changes of the batch left it), writes every changed device and
 * publishes its full record through the outbox in that same transaction. A device changed
 * twice in a batch is written and published once, with its final state (revisions stay
 * monotonic; the intermediate one is never published). A batch that met a concurrent writer
 * stored nothing and is decided again on what that writer committed.
 */
@Injectable()
export class ApplyDeviceChangesUseCase {
  constructor(
    @Inject(DeviceCatalogueRepository) private readonly catalogue: DeviceCatalogueRepository,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(DEVICE_CLOCK) private readonly clock: Clock,
  ) {}

  async execute(changes: readonly DeviceChange[]): Promise<ChangeOutcome[]> {
    for (let attempt = 1; ; attempt++) {
      try {
        return await this.attempt(changes);
      } catch (error) {
        if (attempt >= ATTEMPTS || !(error instanceof ConcurrentCatalogueChangeError)) throw error;
      }
    }
  }

  private attempt(changes: readonly DeviceChange[]): Promise<ChangeOutcome[]> {
    return this.catalogue.inTransaction(async (manager) => {
      const owners = await this.catalogue.lockOwners(manager, changes.flatMap(identifiersOf));
      const deviceIds = [...new Set(owners.values())];
      await this.catalogue.lockDevices(manager, deviceIds);
      const stored = new Map(
        (await this.catalogue.findByIds(deviceIds, manager)).map((record) => [
          record.deviceId,
          record,
        ]),
      );
      const records = new Map(stored);
      const view: CatalogueView = {
        ownerOf: (identifier) => owners.get(identifier),
        recordOf: (deviceId) => records.get(deviceId),
      };
      const context = { newDeviceId: uuidV7, now: this.clock.now().toISOString() };
      const created = new Set<string>();
      const changed = new Map<string, DeviceRecord>();
      const outcomes = changes.map((change) => {
        const outcome = decideChange(change, view, context);
        if (outcome.kind === 'created' || outcome.kind === 'updated') {
          const { record } = outcome;
          if (outcome.kind === 'created') created.add(record.deviceId);
          records.set(record.deviceId, record);
          changed.set(record.deviceId, record);
          for (const identifier of record.identifiers) {
            owners.set(identifier.deviceIdentifier, record.deviceId);
          }
        }
        return outcome;
      });
      const finals = [...changed.values()];
      await this.catalogue.save(manager, finals, stored);
      await this.publisher.publishMany(
        manager,
        EVENTS.deviceRegisteredV1,
        finals.filter((record) => created.has(record.deviceId)).map((data) => ({ data })),
      );
      await this.publisher.publishMany(
        manager,
        EVENTS.deviceUpdatedV1,
        finals.filter((record) => !created.has(record.deviceId)).map((data) => ({ data })),
      );
      return outcomes;
    });
  }
}
