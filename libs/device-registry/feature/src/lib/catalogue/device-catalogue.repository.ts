import { Inject, Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';
import { DataSource, QueryFailedError } from 'typeorm';

import type { DeviceIdentifier, DeviceRecord } from '@implant-trace/device-registry-domain';
import {
  compareIdentifiers,
  ConcurrentCatalogueChangeError,
} from '@implant-trace/device-registry-domain';
import { copyRows } from '@implant-trace/platform-database';

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

interface DeviceRow {
  device_id: string;
  revision: number;
  manufacturer: string;
  brand: string;
  model: string | null;
  catalog_number: string | null;
  description: string | null;
  gmdn_code: string | null;
  implantable: boolean;
  mri_safety: DeviceRecord['mriSafety'];
  label_lot_number: boolean;
  label_serial_number: boolean;
  label_expiration_date: boolean;
  label_manufacture_date: boolean;
  status: DeviceRecord['status'];
  updated_at: Date;
}

interface IdentifierRow {
  device_identifier: string;
  device_id: string;
  issuing_agency: DeviceIdentifier['issuingAgency'];
  type: DeviceIdentifier['type'];
  quantity_per_package: number | null;
}

function recordOf(row: DeviceRow, identifiers: readonly IdentifierRow[]): DeviceRecord {
  const optional = {
    model: row.model,
    catalogNumber: row.catalog_number,
    description: row.description,
    gmdnCode: row.gmdn_code,
  };
  return {
    deviceId: row.device_id,
    revision: row.revision,
    identifiers: identifiers
      .map((identifier): DeviceIdentifier => ({
        deviceIdentifier: identifier.device_identifier,
        issuingAgency: identifier.issuing_agency,
        type: identifier.type,
        ...(identifier.quantity_per_package === null
          ? {}
          : { quantityPerPackage: identifier.quantity_per_package }),
      }))
      .sort(compareIdentifiers),
    manufacturer: row.manufacturer,
    brand: row.brand,
    ...Object.fromEntries(Object.entries(optional).filter(([, value]) => value !== null)),
    implantable: row.implantable,
    mriSafety: row.mri_safety,
    labelCarries: {
      lotNumber: row.label_lot_number,
      serialNumber: row.label_serial_number,
      expirationDate: row.label_expiration_date,
      manufactureDate: row.label_manufacture_date,
    },
    status: row.status,
    updatedAt: row.updated_at.toISOString(),
  };
}

/** A record's identifiers that `stored` (its state as read) lacks or holds differently. */
function changedIdentifiers(record: DeviceRecord, stored: DeviceRecord | undefined) {
  if (stored === undefined) return record.identifiers;
  const before = new Map(stored.identifiers.map((i) => [i.deviceIdentifier, i]));
  return record.identifiers.filter((i) => {
    const old = before.get(i.deviceIdentifier);
    return (
      old === undefined ||
      old.type !== i.type ||
      old.issuingAgency !== i.issuingAgency ||
      old.quantityPerPackage !== i.quantityPerPackage
    );
  });
}

const DEVICE_COLUMNS =
  'device_id, revision, manufacturer, brand, model, catalog_number, description, gmdn_code, ' +
  'implantable, mri_safety, label_lot_number, label_serial_number, label_expiration_date, ' +
  'label_manufacture_date, status, updated_at';
const IDENTIFIER_COLUMNS =
  'device_identifier, device_id, issuing_agency, type, quantity_per_package';

/** The devices and device_identifiers tables. Bulk writes are COPYed into staging tables first. */
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

  /** The records of the devices named, in the order named; two statements for any number. */
  async findByIds(deviceIds: readonly string[], manager: EntityManager = this.dataSource.manager) {
    if (deviceIds.length === 0) return [];
    const ids = [...new Set(deviceIds)];
    const devices = (await manager.query(
      `SELECT ${DEVICE_COLUMNS} FROM devices WHERE device_id = ANY($1::uuid[])`,
      [ids],
    )) as DeviceRow[];
    const identifiers = (await manager.query(
      `SELECT ${IDENTIFIER_COLUMNS} FROM device_identifiers WHERE device_id = ANY($1::uuid[])`,
      [ids],
    )) as IdentifierRow[];
    const identifiersOf = new Map<string, IdentifierRow[]>();
    for (const row of identifiers) {
      const list = identifiersOf.get(row.device_id);
      if (list === undefined) identifiersOf.set(row.device_id, [row]);
      else list.push(row);
    }
    const byId = new Map(devices.map((row) => [row.device_id, row]));
    return deviceIds.flatMap((id) => {
      const row = byId.get(id);
      return row === undefined ? [] : [recordOf(row, identifiersOf.get(id) ?? [])];
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
   * same device are serialised and the second decides on what the first committed. The
   * identifiers are copied into a staging table and resolved by one join, so a chunk of tens of
   * thousands of identifiers costs one COPY and one statement.
   */
  async lockOwners(manager: EntityManager, identifiers: readonly string[]) {
    await this.stagingTables(manager);
    await copyRows(
      manager,
      'pg_temp.import_keys (device_identifier)',
      [...new Set(identifiers)].map((identifier) => [identifier]),
    );
    // Written as `= ANY(ARRAY(…))` rather than a plain join: with a million identifiers stored
    // the planner joins a chunk's keys by scanning the whole table (~0.4 s a chunk, growing with
    // the catalogue), where this walks the primary key once, in key order, for just the chunk's.
    const rows = (await manager.query(
      `SELECT device_identifier, device_id FROM device_identifiers
       WHERE device_identifier = ANY (ARRAY(SELECT device_identifier FROM pg_temp.import_keys))
       ORDER BY device_identifier FOR UPDATE`,
    )) as { device_identifier: string; device_id: string }[];
    return new Map(rows.map((row) => [row.device_identifier, row.device_id]));
  }

  /** Locks the devices a batch may change, in one order, for the rest of the transaction. */
  async lockDevices(manager: EntityManager, deviceIds: readonly string[]): Promise<void> {
    if (deviceIds.length === 0) return;
    await manager.query(
      `SELECT device_id FROM devices WHERE device_id = ANY($1::uuid[]) ORDER BY device_id FOR UPDATE`,
      [[...new Set(deviceIds)]],
    );
  }

  /**
   * Writes the full current state of each device: the device rows are copied into a staging
   * table and upserted by one statement; of their identifiers only those new or changed since
   * `stored` (the records as this transaction read them) are written, and identifiers are never
   * dropped, so nothing needs deleting. Non-primary entries go
   * first, so a primary displaced to `previous` has left before its successor arrives (a device
   * has one primary at every moment). An identifier that another device claimed meanwhile is
   * not re-pointed: the write stops as a concurrent change and the batch is decided again.
   */
  async save(
    manager: EntityManager,
    records: readonly DeviceRecord[],
    stored: ReadonlyMap<string, DeviceRecord>,
  ): Promise<void> {
    if (records.length === 0) return;
    await this.stagingTables(manager);
    await copyRows(
      manager,
      `pg_temp.import_devices (${DEVICE_COLUMNS})`,
      records.map((r) => [
        r.deviceId,
        r.revision,
        r.manufacturer,
        r.brand,
        r.model,
        r.catalogNumber,
        r.description,
        r.gmdnCode,
        r.implantable,
        r.mriSafety,
        r.labelCarries.lotNumber,
        r.labelCarries.serialNumber,
        r.labelCarries.expirationDate,
        r.labelCarries.manufactureDate,
        r.status,
        r.updatedAt,
      ]),
    );
    const staged = records.flatMap((record) =>
      changedIdentifiers(record, stored.get(record.deviceId)).map((i) => [
        i.deviceIdentifier,
        record.deviceId,
        i.issuingAgency,
        i.type,
        i.quantityPerPackage,
      ]),
    );
    await copyRows(manager, `pg_temp.import_identifiers (${IDENTIFIER_COLUMNS})`, staged);
    await manager.query(
      `INSERT INTO devices (${DEVICE_COLUMNS}) SELECT ${DEVICE_COLUMNS} FROM pg_temp.import_devices
       ON CONFLICT (device_id) DO UPDATE SET revision = EXCLUDED.revision,
         manufacturer = EXCLUDED.manufacturer, brand = EXCLUDED.brand, model = EXCLUDED.model,
         catalog_number = EXCLUDED.catalog_number, description = EXCLUDED.description,
         gmdn_code = EXCLUDED.gmdn_code, implantable = EXCLUDED.implantable,
         mri_safety = EXCLUDED.mri_safety, label_lot_number = EXCLUDED.label_lot_number,
         label_serial_number = EXCLUDED.label_serial_number,
         label_expiration_date = EXCLUDED.label_expiration_date,
         label_manufacture_date = EXCLUDED.label_manufacture_date, status = EXCLUDED.status,
         updated_at = EXCLUDED.updated_at`,
    );
    let written = 0;
    for (const primaries of [false, true]) {
      const [{ n }] = (await manager.query(
        `WITH written AS (
           INSERT INTO device_identifiers (${IDENTIFIER_COLUMNS})
           SELECT ${IDENTIFIER_COLUMNS} FROM pg_temp.import_identifiers WHERE (type = 'primary') = $1
           ON CONFLICT (device_identifier) DO UPDATE SET issuing_agency = EXCLUDED.issuing_agency,
             type = EXCLUDED.type, quantity_per_package = EXCLUDED.quantity_per_package
           WHERE device_identifiers.device_id = EXCLUDED.device_id
           RETURNING 1)
         SELECT count(*)::int AS n FROM written`,
        [primaries],
      )) as [{ n: number }];
      written += n;
    }
    // Every staged identifier is new or changed for its own device, so each one is either
    // inserted or updated; one that was neither belongs to another device now.
    if (written < staged.length) throw new ConcurrentCatalogueChangeError();
  }

  /**
   * The staging tables of a chunk, created once per pooled session and emptied by every commit
   * or rollback (`ON COMMIT DELETE ROWS`), so a chunk never sees another's rows and a failed
   * chunk leaves none behind.
   */
  private async stagingTables(manager: EntityManager): Promise<void> {
    await manager.query(
      `CREATE TEMP TABLE IF NOT EXISTS import_keys (device_identifier text NOT NULL)
         ON COMMIT DELETE ROWS;
       CREATE TEMP TABLE IF NOT EXISTS import_devices (device_id uuid NOT NULL, revision integer NOT NULL,
         manufacturer text NOT NULL, brand text NOT NULL, model text, catalog_number text,
         description text, gmdn_code text, implantable boolean NOT NULL, mri_safety text NOT NULL,
         label_lot_number boolean NOT NULL, label_serial_number boolean NOT NULL,
         label_expiration_date boolean NOT NULL, label_manufacture_date boolean NOT NULL,
         status text NOT NULL, updated_at timestamptz NOT NULL) ON COMMIT DELETE ROWS;
       CREATE TEMP TABLE IF NOT EXISTS import_identifiers (device_identifier text NOT NULL,
         device_id uuid NOT NULL, issuing_agency text NOT NULL, type text NOT NULL,
         quantity_per_package integer) ON COMMIT DELETE ROWS`,
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
