import { Inject, Injectable } from '@nestjs/common';
import { DataSource, type EntityManager } from 'typeorm';

import type { DeviceRecordValue } from '@implant-trace/contracts';
import type { ReplicaDevice } from '@implant-trace/implant-events-domain';
import { applyNewerRevision, type RevisionDecision } from '@implant-trace/platform-messaging';

const DEVICES_TABLE = { table: 'catalogue_devices', keyColumn: 'device_id' };

/** This service's replica of the device catalogue, fed by `device-registry.devices.v1`. */
@Injectable()
export class CatalogueReplicaRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Keeps the newest revision only. An identifier claimed by this record moves to it: the
   * catalogue lets one device own an identifier, and this record is the latest word on it.
   */
  apply(tx: EntityManager, record: DeviceRecordValue): Promise<RevisionDecision> {
    // Once each: one INSERT ... ON CONFLICT may not touch a row twice.
    const identifiers = [
      ...new Set(record.identifiers.map((identifier) => identifier.deviceIdentifier)),
    ];
    return applyNewerRevision(
      tx,
      DEVICES_TABLE,
      { key: record.deviceId, revision: record.revision },
      async () => {
        await tx.query(
          `INSERT INTO catalogue_devices (device_id, revision, record) VALUES ($1, $2, $3)
           ON CONFLICT (device_id) DO UPDATE SET revision = EXCLUDED.revision, record = EXCLUDED.record`,
          [record.deviceId, record.revision, JSON.stringify(record)],
        );
        await tx.query(
          `DELETE FROM catalogue_identifiers
           WHERE device_id = $1 AND device_identifier <> ALL($2::text[])`,
          [record.deviceId, identifiers],
        );
        await tx.query(
          `INSERT INTO catalogue_identifiers (device_identifier, device_id)
           SELECT unnest($1::text[]), $2
           ON CONFLICT (device_identifier) DO UPDATE SET device_id = EXCLUDED.device_id`,
          [identifiers, record.deviceId],
        );
      },
    );
  }

  async findByIdentifier(deviceIdentifier: string): Promise<ReplicaDevice | undefined> {
    const [row] = (await this.dataSource.query(
      `SELECT d.record FROM catalogue_identifiers i
       JOIN catalogue_devices d ON d.device_id = i.device_id
       WHERE i.device_identifier = $1`,
      [deviceIdentifier],
    )) as { record: DeviceRecordValue }[];
    return row === undefined ? undefined : replicaDeviceOf(row.record);
  }
}

function replicaDeviceOf(record: DeviceRecordValue): ReplicaDevice {
  return {
    deviceId: record.deviceId,
    revision: record.revision,
    identifiers: record.identifiers.map((identifier) => identifier.deviceIdentifier),
    manufacturer: record.manufacturer,
    brand: record.brand,
    ...(record.model === undefined ? {} : { model: record.model }),
    ...(record.catalogNumber === undefined ? {} : { catalogNumber: record.catalogNumber }),
    implantable: record.implantable,
    mriSafety: record.mriSafety,
    labelCarries: record.labelCarries,
    status: record.status,
  };
}
