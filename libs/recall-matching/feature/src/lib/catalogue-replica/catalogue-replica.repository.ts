import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { DeviceRecordValue } from '@implant-trace/contracts';
import { applyNewerRevision, type RevisionDecision } from '@implant-trace/platform-messaging';
import { normaliseName } from '@implant-trace/recall-criteria';

const DEVICES_TABLE = { table: 'catalogue_devices', keyColumn: 'device_id' };

/** Blank counts as absent: the criteria treat a blank attribute as not in the device record. */
const keyOf = (value: string | undefined): string | null =>
  value === undefined || value.trim() === '' ? null : normaliseName(value);

/** Points the implants of some identifiers at the device that owns each identifier now. */
export const RESOLVE_IMPLANTS_SQL = `
  UPDATE implants i SET device_id = c.device_id
  FROM (SELECT u.identifier, ci.device_id
        FROM unnest($1::text[]) AS u(identifier)
        LEFT JOIN catalogue_identifiers ci ON ci.device_identifier = u.identifier) AS c
  WHERE i.device_identifier = c.identifier AND i.device_id IS DISTINCT FROM c.device_id`;

export interface AppliedDevice {
  decision: RevisionDecision;
  /** Every identifier the device had before or has now: the implants to match again. */
  touchedIdentifiers: string[];
}

/** This service's replica of the device catalogue, fed by `device-registry.devices.v1`. */
/** Device records by id. */
export const DEVICE_RECORDS_SQL = `SELECT device_id, record FROM catalogue_devices WHERE device_id = ANY($1::uuid[])`;

@Injectable()
export class CatalogueReplicaRepository {
  /**
   * Keeps the newest revision only, and points the implants of each identifier at the device
   * that now owns it (an identifier claimed by this record moves to it: the catalogue lets one
   * device own an identifier, and this record is the latest word on it).
   */
  async apply(tx: EntityManager, record: DeviceRecordValue): Promise<AppliedDevice> {
    const identifiers = [
      ...new Set(record.identifiers.map((identifier) => identifier.deviceIdentifier)),
    ].sort();
    const touched = new Set(identifiers);
    const decision = await applyNewerRevision(
      tx,
      DEVICES_TABLE,
      { key: record.deviceId, revision: record.revision },
      async () => {
        const previous = (await tx.query(
          `SELECT device_identifier FROM catalogue_identifiers WHERE device_id = $1`,
          [record.deviceId],
        )) as { device_identifier: string }[];
        for (const row of previous) touched.add(row.device_identifier);
        await tx.query(
          `INSERT INTO catalogue_devices
             (device_id, revision, record, identifiers, catalog_number_key, manufacturer_key, model_key)
           VALUES ($1, $2, $3, $4, $5, $6, $7)
           ON CONFLICT (device_id) DO UPDATE SET revision = EXCLUDED.revision,
             record = EXCLUDED.record, identifiers = EXCLUDED.identifiers,
             catalog_number_key = EXCLUDED.catalog_number_key,
             manufacturer_key = EXCLUDED.manufacturer_key, model_key = EXCLUDED.model_key`,
          [
            record.deviceId,
            record.revision,
            JSON.stringify(record),
            identifiers,
            keyOf(record.catalogNumber),
            keyOf(record.manufacturer),
            keyOf(record.model),
          ],
        );
        await tx.query(`DELETE FROM catalogue_record_identifiers WHERE device_id = $1`, [
          record.deviceId,
        ]);
        await tx.query(
          `INSERT INTO catalogue_record_identifiers (device_identifier, device_id)
           SELECT unnest($1::text[]), $2`,
          [identifiers, record.deviceId],
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
        await this.resolveImplants(tx, [...touched]);
      },
    );
    return { decision, touchedIdentifiers: decision === 'apply' ? [...touched] : [] };
  }

  /** Points each implant of these identifiers at the device that owns its identifier now. */
  async resolveImplants(tx: EntityManager, identifiers: readonly string[]): Promise<void> {
    await tx.query(RESOLVE_IMPLANTS_SQL, [identifiers]);
  }

  /** The records of some devices, by device id. */
  async devicesOf(
    tx: EntityManager,
    deviceIds: readonly string[],
  ): Promise<Map<string, DeviceRecordValue>> {
    if (deviceIds.length === 0) return new Map();
    const rows = (await tx.query(DEVICE_RECORDS_SQL, [[...new Set(deviceIds)]])) as {
      device_id: string;
      record: DeviceRecordValue;
    }[];
    return new Map(rows.map((row) => [row.device_id, row.record]));
  }
}
