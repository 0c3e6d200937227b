import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource, In, QueryFailedError } from 'typeorm';

import type { DeviceIdentifier, DeviceRecord } from '@implant-trace/device-registry-domain';
import {
  compareIdentifiers,
  ConcurrentCatalogueChangeError,
} from '@implant-trace/device-registry-domain';

import { DeviceEntity } from './device.entity';

export interface DeviceSearch {
  manufacturer?: string;
  catalogNumber?: string;
  /** A `to_tsquery('simple', …)` expression built by the domain. */
  textQuery?: string;
  afterDeviceId?: string;
  limit: number;
}

/** unique_violation (an identifier claimed concurrently), deadlock, serialization failure. */
const CONCURRENT_WRITE_CODES = new Set(['23505', '40P01', '40001']);

function isConcurrentWrite(error: unknown): boolean {
  const code = (error as { driverError?: { code?: string } }).driverError?.code;
  return (
    error instanceof QueryFailedError && code !== undefined && CONCURRENT_WRITE_CODES.has(code)
  );
}

function recordOf(entity: DeviceEntity): DeviceRecord {
  const optional = {
    model: entity.model,
    catalogNumber: entity.catalogNumber,
    description: entity.description,
    gmdnCode: entity.gmdnCode,
  };
  return {
    deviceId: entity.deviceId,
    revision: entity.revision,
    identifiers: entity.identifiers.map((identifier): DeviceIdentifier => ({
      deviceIdentifier: identifier.deviceIdentifier,
      issuingAgency: identifier.issuingAgency,
      type: identifier.type,
      ...(identifier.quantityPerPackage === null
        ? {}
        : { quantityPerPackage: identifier.quantityPerPackage }),
    })),
    manufacturer: entity.manufacturer,
    brand: entity.brand,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== null)),
    implantable: entity.implantable,
    mriSafety: entity.mriSafety,
    labelCarries: {
      lotNumber: entity.labelLotNumber,
      serialNumber: entity.labelSerialNumber,
      expirationDate: entity.labelExpirationDate,
      manufactureDate: entity.labelManufactureDate,
    },
    status: entity.status,
    updatedAt: entity.updatedAt.toISOString(),
  };
}

/** The devices and device_identifiers tables. Bulk writes go through `unnest` (one statement per batch). */
@Injectable()
export class DeviceCatalogueRepository {
  constructor(@Inject(DataSource) private readonly dataSource: DataSource) {}

  /**
   * Runs `work` in one transaction. PostgreSQL's refusals of a concurrent writer (an identifier
   * claimed meanwhile, a deadlock, a serialization failure) come back as the domain's
   * ConcurrentCatalogueChangeError, so no caller reads driver error codes.
   */
  async inTransaction<T>(work: (manager: EntityManager) => Promise<T>): Promise<T> {
    try {
      return await this.dataSource.transaction(work);
    } catch (error) {
      if (isConcurrentWrite(error)) throw new ConcurrentCatalogueChangeError();
      throw error;
    }
  }

  async findById(deviceId: string, manager: EntityManager = this.dataSource.manager) {
    const [record] = await this.findByIds([deviceId], manager);
    return record;
  }

  async findByIds(deviceIds: readonly string[], manager: EntityManager = this.dataSource.manager) {
    if (deviceIds.length === 0) return [];
    const entities = await manager.find(DeviceEntity, {
      where: { deviceId: In([...deviceIds]) },
      relations: { identifiers: true },
    });
    const byId = new Map(entities.map((entity) => [entity.deviceId, entity]));
    return deviceIds.flatMap((id) => {
      const entity = byId.get(id);
      if (entity === undefined) return [];
      entity.identifiers.sort(compareIdentifiers);
      return [recordOf(entity)];
    });
  }

  async findByIdentifier(deviceIdentifier: string): Promise<DeviceRecord | undefined> {
    const rows = (await this.dataSource.query(
      `SELECT device_id FROM device_identifiers WHERE device_identifier = $1`,
      [deviceIdentifier],
    )) as { device_id: string }[];
    return rows[0] === undefined ? undefined : this.findById(rows[0].device_id);
  }

  /**
   * Which device each identifier resolves to, with those identifier rows locked (in one order,
   * so concurrent batches cannot deadlock) until the transaction ends: two writers touching the
   * same device are serialised and the second decides on what the first committed.
   */
  async lockOwners(manager: EntityManager, identifiers: readonly string[]) {
    const rows = (await manager.query(
      `SELECT device_identifier, device_id FROM device_identifiers
       WHERE device_identifier = ANY($1::text[]) ORDER BY device_identifier FOR UPDATE`,
      [[...new Set(identifiers)]],
    )) as { device_identifier: string; device_id: string }[];
    return new Map(rows.map((row) => [row.device_identifier, row.device_id]));
  }

  /** Locks the devices a batch may change, in one order, for the rest of the transaction. */
  async lockDevices(manager: EntityManager, deviceIds: readonly string[]): Promise<void> {
    await manager.query(
      `SELECT device_id FROM devices WHERE device_id = ANY($1::uuid[]) ORDER BY device_id FOR UPDATE`,
      [[...new Set(deviceIds)]],
    );
  }

  /** Writes the full current state of each device (insert or replace) and its identifiers. */
  async save(manager: EntityManager, records: readonly DeviceRecord[]): Promise<void> {
    if (records.length === 0) return;
    const column = <T>(pick: (record: DeviceRecord) => T) => records.map(pick);
    await manager.query(
      `INSERT INTO devices (device_id, revision, manufacturer, brand, model, catalog_number,
         description, gmdn_code, implantable, mri_safety, label_lot_number, label_serial_number,
         label_expiration_date, label_manufacture_date, status, updated_at)
       SELECT * FROM unnest($1::uuid[], $2::int[], $3::text[], $4::text[], $5::text[], $6::text[],
         $7::text[], $8::text[], $9::bool[], $10::text[], $11::bool[], $12::bool[], $13::bool[],
         $14::bool[], $15::text[], $16::timestamptz[])
       ON CONFLICT (device_id) DO UPDATE SET revision = EXCLUDED.revision,
         manufacturer = EXCLUDED.manufacturer, brand = EXCLUDED.brand, model = EXCLUDED.model,
         catalog_number = EXCLUDED.catalog_number, description = EXCLUDED.description,
         gmdn_code = EXCLUDED.gmdn_code, implantable = EXCLUDED.implantable,
         mri_safety = EXCLUDED.mri_safety, label_lot_number = EXCLUDED.label_lot_number,
         label_serial_number = EXCLUDED.label_serial_number,
         label_expiration_date = EXCLUDED.label_expiration_date,
         label_manufacture_date = EXCLUDED.label_manufacture_date, status = EXCLUDED.status,
         updated_at = EXCLUDED.updated_at`,
      [
        column((r) => r.deviceId),
        column((r) => r.revision),
        column((r) => r.manufacturer),
        column((r) => r.brand),
        column((r) => r.model ?? null),
        column((r) => r.catalogNumber ?? null),
        column((r) => r.description ?? null),
        column((r) => r.gmdnCode ?? null),
        column((r) => r.implantable),
        column((r) => r.mriSafety),
        column((r) => r.labelCarries.lotNumber),
        column((r) => r.labelCarries.serialNumber),
        column((r) => r.labelCarries.expirationDate),
        column((r) => r.labelCarries.manufactureDate),
        column((r) => r.status),
        column((r) => r.updatedAt),
      ],
    );
    await manager.query(`DELETE FROM device_identifiers WHERE device_id = ANY($1::uuid[])`, [
      column((r) => r.deviceId),
    ]);
    const identifiers = records.flatMap((record) =>
      record.identifiers.map((identifier) => ({ deviceId: record.deviceId, ...identifier })),
    );
    // A plain INSERT: an identifier claimed meanwhile by another device fails the unique key
    // (and the batch is decided again) rather than being silently skipped or re-pointed.
    await manager.query(
      `INSERT INTO device_identifiers (device_identifier, device_id, issuing_agency, type, quantity_per_package)
       SELECT * FROM unnest($1::text[], $2::uuid[], $3::text[], $4::text[], $5::int[])`,
      [
        identifiers.map((i) => i.deviceIdentifier),
        identifiers.map((i) => i.deviceId),
        identifiers.map((i) => i.issuingAgency),
        identifiers.map((i) => i.type),
        identifiers.map((i) => i.quantityPerPackage ?? null),
      ],
    );
  }

  /** One keyset page of device ids, in device id order, each filter served by its own index. */
  async search(search: DeviceSearch): Promise<DeviceRecord[]> {
    const conditions: string[] = [];
    const parameters: unknown[] = [];
    const add = (condition: (placeholder: string) => string, value: unknown) => {
      parameters.push(value);
      conditions.push(condition(`$${parameters.length}`));
    };
    if (search.manufacturer !== undefined) {
      add((p) => `lower(manufacturer) = lower(${p})`, search.manufacturer);
    }
    if (search.catalogNumber !== undefined) {
      add((p) => `lower(catalog_number) = lower(${p})`, search.catalogNumber);
    }
    if (search.textQuery !== undefined) {
      add((p) => `search_vector @@ to_tsquery('simple', ${p})`, search.textQuery);
    }
    if (search.afterDeviceId !== undefined) add((p) => `device_id > ${p}`, search.afterDeviceId);
    parameters.push(search.limit);
    const rows = (await this.dataSource.query(
      `SELECT device_id FROM devices
       ${conditions.length === 0 ? '' : `WHERE ${conditions.join(' AND ')}`}
       ORDER BY device_id LIMIT $${parameters.length}`,
      parameters,
    )) as { device_id: string }[];
    return this.findByIds(rows.map((row) => row.device_id));
  }
}
