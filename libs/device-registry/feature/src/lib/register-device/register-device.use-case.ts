import { Inject, Injectable } from '@nestjs/common';

import type { DeviceDraftInput, DeviceRecord } from '@implant-trace/device-registry-domain';
import {
  buildDeviceDraft,
  DeviceIdentifierConflictError,
  DeviceRulesBrokenError,
} from '@implant-trace/device-registry-domain';

import { ApplyDeviceChangesUseCase } from '../apply-device-changes/apply-device-changes.use-case';

export interface RegisterDeviceResult {
  /** 201 when a device was created, 200 when an existing one was updated or restated. */
  created: boolean;
  record: DeviceRecord;
}

/**
 * Registers a device, or updates the device its primary identifier already names. An
 * identifier that already resolves to another device is refused, listing each one.
 */
@Injectable()
export class RegisterDeviceUseCase {
  constructor(
    @Inject(ApplyDeviceChangesUseCase) private readonly applyChanges: ApplyDeviceChangesUseCase,
  ) {}

  async execute(input: DeviceDraftInput): Promise<RegisterDeviceResult> {
    const draft = buildDeviceDraft(input);
    if (!draft.ok) throw new DeviceRulesBrokenError(draft.problems);
    const [outcome] = await this.applyChanges.execute([{ kind: 'upsert', draft: draft.draft }]);
    if (outcome === undefined) throw new Error('one change gives one outcome');
    switch (outcome.kind) {
      case 'created':
        return { created: true, record: outcome.record };
      case 'updated':
      case 'unchanged':
        return { created: false, record: outcome.record };
      case 'conflict': {
        const indexOf = new Map(
          draft.draft.identifiers.map((identifier, index) => [identifier.deviceIdentifier, index]),
        );
        throw new DeviceIdentifierConflictError(
          outcome.conflicts.map((conflict) => ({
            field: `identifiers[${indexOf.get(conflict.deviceIdentifier) ?? 0}].deviceIdentifier`,
            message: `${conflict.deviceIdentifier} already identifies device ${conflict.ownerDeviceId}`,
          })),
        );
      }
      case 'rejected':
        throw new DeviceRulesBrokenError([{ field: outcome.field, message: outcome.reason }]);
    }
  }
}
