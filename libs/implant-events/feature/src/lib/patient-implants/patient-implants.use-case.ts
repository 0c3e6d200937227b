import { Inject, Injectable } from '@nestjs/common';
import { DataSource, In, Not } from 'typeorm';

import type { DeviceRecordValue, UdiValue } from '@implant-trace/contracts';
import { ClinicallyInvalidError } from '@implant-trace/domain-kernel';
import { parseNhsNumber } from '@implant-trace/identifiers';
import type { ImplantStatus } from '@implant-trace/implant-events-domain';

import { CatalogueDeviceEntity } from '../catalogue-replica/catalogue-device.entity';
import { ImplantEntity } from '../record-implant/implant.entity';

/** The implant card's facts of one implant (EU MDR Article 18), as far as they are known. */
export interface ImplantCard {
  implantId: string;
  status: Exclude<ImplantStatus, 'entered-in-error'>;
  implantedAt: string;
  explantedAt?: string;
  hospitalOds: string;
  udi: UdiValue;
  lotNumber?: string;
  serialNumber?: string;
  /** Absent when the device is not in this service's catalogue replica. */
  device?: {
    deviceId: string;
    name: string;
    model?: string;
    manufacturer: string;
    mriSafety: DeviceRecordValue['mriSafety'];
  };
  reviewFlags: string[];
}

export interface PatientImplants {
  nhsNumber: string;
  implants: ImplantCard[];
}

/**
 * A patient's implants at the caller's hospital, newest first: live and explanted ones (marked
 * as such). Records entered in error are left out: nothing of them was implanted.
 */
@Injectable()
export class PatientImplantsUseCase {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  async execute(nhsNumberInput: string, hospitalOds: string): Promise<PatientImplants> {
    const parsed = parseNhsNumber(nhsNumberInput);
    if (!parsed.ok) {
      throw new ClinicallyInvalidError('The NHS number is not valid', [
        { field: 'nhsNumber', message: parsed.message },
      ]);
    }
    const rows = await this.dataSource.manager.find(ImplantEntity, {
      where: { hospitalOds, nhsNumber: parsed.nhsNumber, status: Not('entered-in-error') },
      order: { implantedAt: 'DESC' },
    });
    const deviceIds = [
      ...new Set(rows.flatMap((row) => (row.deviceId === null ? [] : [row.deviceId]))),
    ];
    const devices = new Map(
      (deviceIds.length === 0
        ? []
        : await this.dataSource.manager.find(CatalogueDeviceEntity, {
            where: { deviceId: In(deviceIds) },
          })
      ).map((device) => [device.deviceId, device.record]),
    );
    return {
      nhsNumber: parsed.nhsNumber,
      implants: rows.map((row) =>
        cardOf(row, row.deviceId === null ? undefined : devices.get(row.deviceId)),
      ),
    };
  }
}

function cardOf(row: ImplantEntity, device: DeviceRecordValue | undefined): ImplantCard {
  const card: ImplantCard = {
    implantId: row.implantId,
    status: row.status === 'explanted' ? 'explanted' : 'implanted',
    implantedAt: row.implantedAt.toISOString(),
    hospitalOds: row.hospitalOds,
    udi: row.udi,
    reviewFlags: row.reviewFlags,
  };
  if (row.status === 'explanted' && row.statusChangedAt !== null) {
    card.explantedAt = row.statusChangedAt.toISOString();
  }
  if (row.udi.lotNumber !== undefined) card.lotNumber = row.udi.lotNumber;
  if (row.udi.serialNumber !== undefined) card.serialNumber = row.udi.serialNumber;
  if (device !== undefined) {
    card.device = {
      deviceId: device.deviceId,
      name: device.brand,
      ...(device.model === undefined ? {} : { model: device.model }),
      manufacturer: device.manufacturer,
      mriSafety: device.mriSafety,
    };
  }
  return card;
}
