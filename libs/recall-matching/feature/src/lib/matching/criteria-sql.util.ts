import {
  normaliseName,
  serialRangeRule,
  type RecallCriteria,
} from '@implant-trace/recall-criteria';

/**
 * Which implants a query looks at: every active implant a recall's devices could cover (an
 * issue, a change, a dry run: the devices found first by `candidateDevicesQuery`, so that the
 * planner sees how few they are), or only some (an implant's own event, a device record's
 * identifiers). The verdict on each implant is the same whichever scope found it.
 */
export type MatchScope =
  /** The active implants of these devices, and every active implant no device record names. */
  | { kind: 'candidates'; deviceIds: readonly string[] }
  | { kind: 'implants'; implantIds: readonly string[] }
  | { kind: 'identifiers'; identifiers: readonly string[] };

/** Each query's plan is kept in recall-queries.explain.md, and checked by a test. */
export interface SqlQuery {
  sql: string;
  parameters: unknown[];
}

class Parameters {
  readonly values: unknown[] = [];

  add(value: unknown, cast: string): string {
    this.values.push(value);
    return `$${this.values.length}::${cast}`;
  }
}

/**
 * One criterion as SQL three-valued logic: TRUE (the implant meets it), FALSE (a known value
 * rules the implant out) or NULL (the value is unknown: a possible match). The same decision
 * as `compileCriteria` in @implant-trace/recall-criteria, which the integration tests check
 * this against on generated data.
 */
function checksOf(criteria: RecallCriteria, p: Parameters): string[] {
  const checks: string[] = [];
  const names = (values: readonly string[]) => [...new Set(values.map(normaliseName))];
  const catalogue = (column: string, condition: string) =>
    `(CASE WHEN i.d_device_id IS NULL OR i.d_${column} IS NULL THEN NULL ELSE ${condition} END)`;
  const production = (column: string, condition: string) =>
    `(CASE WHEN i.${column} IS NULL THEN NULL ELSE ${condition} END)`;
  if (criteria.deviceIdentifiers !== undefined) {
    const identifiers = p.add(criteria.deviceIdentifiers, 'text[]');
    // A scanned identifier no record names yet may be a packaging level of a recalled device.
    checks.push(
      `(CASE WHEN i.d_device_id IS NULL
         THEN (CASE WHEN i.device_identifier = ANY(${identifiers}) THEN TRUE ELSE NULL END)
         ELSE i.d_identifiers && ${identifiers} END)`,
    );
  }
  if (criteria.catalogNumbers !== undefined) {
    const refs = p.add(names(criteria.catalogNumbers), 'text[]');
    checks.push(catalogue('catalog_number_key', `i.d_catalog_number_key = ANY(${refs})`));
  }
  if (criteria.manufacturer !== undefined) {
    const maker = p.add(normaliseName(criteria.manufacturer), 'text');
    checks.push(catalogue('manufacturer_key', `i.d_manufacturer_key = ${maker}`));
  }
  if (criteria.models !== undefined) {
    const models = p.add(names(criteria.models), 'text[]');
    checks.push(catalogue('model_key', `i.d_model_key = ANY(${models})`));
  }
  if (criteria.lotNumbers !== undefined) {
    const lots = p.add(criteria.lotNumbers, 'text[]');
    checks.push(production('lot_number', `i.lot_number = ANY(${lots})`));
  }
  if (criteria.serialNumbers !== undefined || criteria.serialRanges !== undefined) {
    // One constraint on the serial: in the list or in any range (see the criteria README).
    const alternatives: string[] = [];
    if (criteria.serialNumbers !== undefined) {
      alternatives.push(`i.serial_number = ANY(${p.add(criteria.serialNumbers, 'text[]')})`);
    }
    const rules = (criteria.serialRanges ?? []).map(serialRangeRule);
    const numeric = rules.flatMap((rule) => (rule.kind === 'numeric' ? [rule] : []));
    const text = rules.flatMap((rule) => (rule.kind === 'length-then-text' ? [rule] : []));
    if (numeric.length > 0) {
      const from = p.add(
        numeric.map((rule) => rule.from.toString()),
        'numeric[]',
      );
      const to = p.add(
        numeric.map((rule) => rule.to.toString()),
        'numeric[]',
      );
      alternatives.push(
        `EXISTS (SELECT 1 FROM unnest(${from}, ${to}) AS r(f, t)
                 WHERE i.serial_value BETWEEN r.f AND r.t)`,
      );
    }
    if (text.length > 0) {
      // Length first, then code-unit order: "C" collation, never the database's locale.
      const from = p.add(
        text.map((rule) => rule.from),
        'text[]',
      );
      const to = p.add(
        text.map((rule) => rule.to),
        'text[]',
      );
      const serial = `(length(i.serial_number), i.serial_number COLLATE "C")`;
      alternatives.push(
        `EXISTS (SELECT 1 FROM unnest(${from}, ${to}) AS r(f, t)
                 WHERE (length(r.f), r.f COLLATE "C") <= ${serial}
                   AND ${serial} <= (length(r.t), r.t COLLATE "C"))`,
      );
    }
    checks.push(production('serial_number', `(${alternatives.join(' OR ')})`));
  }
  for (const [window, column] of [
    [criteria.manufacturedBetween, 'manufacture_date'],
    [criteria.expiresBetween, 'expiration_date'],
  ] as const) {
    if (window === undefined) continue;
    const ends: string[] = [];
    if (window.from !== undefined) ends.push(`i.${column} >= ${p.add(window.from, 'text')}`);
    if (window.to !== undefined) ends.push(`i.${column} <= ${p.add(window.to, 'text')}`);
    checks.push(production(column, `(${ends.join(' AND ')})`));
  }
  return checks;
}

/**
 * The devices a recall could cover, through the most selective device selector given (each
 * served by a btree index: an identifier through every record that lists it). Only a superset: every criterion is checked again
 * on each implant, so this narrows where to look, never what matches.
 */
export function candidateDevicesQuery(criteria: RecallCriteria): SqlQuery {
  const p = new Parameters();
  if (criteria.deviceIdentifiers !== undefined) {
    const identifiers = p.add(criteria.deviceIdentifiers, 'text[]');
    return {
      sql: `SELECT DISTINCT device_id FROM catalogue_record_identifiers
            WHERE device_identifier = ANY(${identifiers})`,
      parameters: p.values,
    };
  }
  const devicesWhere = (where: string) => ({
    sql: `SELECT device_id FROM catalogue_devices WHERE ${where}`,
    parameters: p.values,
  });
  if (criteria.catalogNumbers !== undefined) {
    const refs = p.add([...new Set(criteria.catalogNumbers.map(normaliseName))], 'text[]');
    // A device whose record has no catalogue number may be one of them: possible matches.
    return devicesWhere(`catalog_number_key = ANY(${refs}) OR catalog_number_key IS NULL`);
  }
  if (criteria.manufacturer !== undefined) {
    const maker = p.add(normaliseName(criteria.manufacturer), 'text');
    if (criteria.models !== undefined) {
      // A product line: only the maker's devices of those models (or of none recorded), both
      // columns of the index, so the other lines' implants are never read.
      const models = p.add([...new Set(criteria.models.map(normaliseName))], 'text[]');
      return devicesWhere(
        `(manufacturer_key = ${maker} AND (model_key = ANY(${models}) OR model_key IS NULL))
         OR manufacturer_key IS NULL`,
      );
    }
    return devicesWhere(`manufacturer_key = ${maker} OR manufacturer_key IS NULL`);
  }
  // validateCriteria refuses criteria without a device selector before they get here.
  throw new Error('criteria without a device selector');
}

const IMPLANT_COLUMNS = `i.implant_id, i.hospital_ods, i.patient_key, i.patient, i.udi,
  i.device_identifier, i.lot_number, i.serial_number, i.serial_value, i.manufacture_date,
  i.expiration_date`;
const DEVICE_COLUMNS = `d.device_id AS d_device_id, d.identifiers AS d_identifiers,
  d.catalog_number_key AS d_catalog_number_key, d.manufacturer_key AS d_manufacturer_key,
  d.model_key AS d_model_key`;
const NO_DEVICE_COLUMNS = `NULL::uuid AS d_device_id, NULL::text[] AS d_identifiers,
  NULL::text AS d_catalog_number_key, NULL::text AS d_manufacturer_key, NULL::text AS d_model_key`;

function candidateImplants(scope: MatchScope, p: Parameters): string {
  switch (scope.kind) {
    case 'candidates': {
      const devices = p.add(scope.deviceIds, 'uuid[]');
      // Both sides by the ids, so each is read through its index, not hashed whole.
      return `SELECT ${IMPLANT_COLUMNS}, ${DEVICE_COLUMNS}
              FROM implants i JOIN catalogue_devices d ON d.device_id = i.device_id
              WHERE i.status = 'active' AND i.device_id = ANY(${devices})
                AND d.device_id = ANY(${devices})
              UNION ALL
              SELECT ${IMPLANT_COLUMNS}, ${NO_DEVICE_COLUMNS}
              FROM implants i
              WHERE i.status = 'active' AND i.device_id IS NULL`;
    }
    case 'implants':
      return `SELECT ${IMPLANT_COLUMNS}, ${DEVICE_COLUMNS}
              FROM implants i LEFT JOIN catalogue_devices d ON d.device_id = i.device_id
              WHERE i.status = 'active' AND i.implant_id = ANY(${p.add(scope.implantIds, 'uuid[]')})`;
    case 'identifiers':
      return `SELECT ${IMPLANT_COLUMNS}, ${DEVICE_COLUMNS}
              FROM implants i LEFT JOIN catalogue_devices d ON d.device_id = i.device_id
              WHERE i.status = 'active'
                AND i.device_identifier = ANY(${p.add(scope.identifiers, 'text[]')})`;
  }
}

/**
 * The implants in scope that a recall's criteria cover, each with `kind` 'matched' or
 * 'possible'. Criteria must have passed `validateCriteria`.
 */
export function matchingImplantsQuery(criteria: RecallCriteria, scope: MatchScope): SqlQuery {
  const p = new Parameters();
  const candidates = candidateImplants(scope, p);
  const checks = checksOf(criteria, p);
  const sql = `
    SELECT i.implant_id, i.hospital_ods, i.patient_key, i.patient, i.udi,
           CASE WHEN (${checks.join(' AND ')}) IS TRUE THEN 'matched' ELSE 'possible' END AS kind
    FROM (${candidates}) AS i
    WHERE ${checks.map((check) => `${check} IS NOT FALSE`).join(' AND ')}`;
  return { sql, parameters: p.values };
}

/**
 * A dry run's counts over the same matching query: one row per hospital, and one row with a
 * null hospital for the whole (a patient treated at two hospitals is one patient there).
 */
export function matchCountsQuery(criteria: RecallCriteria, deviceIds: readonly string[]): SqlQuery {
  const inner = matchingImplantsQuery(criteria, { kind: 'candidates', deviceIds });
  return {
    sql: `
      SELECT m.hospital_ods,
             count(*) FILTER (WHERE m.kind = 'matched')::int AS matched_implants,
             count(DISTINCT m.patient_key) FILTER (WHERE m.kind = 'matched')::int AS matched_patients,
             count(*) FILTER (WHERE m.kind = 'possible')::int AS possible_implants,
             count(DISTINCT m.patient_key) FILTER (WHERE m.kind = 'possible')::int AS possible_patients
      FROM (${inner.sql}) AS m
      GROUP BY GROUPING SETS ((m.hospital_ods), ())
      ORDER BY m.hospital_ods NULLS FIRST`,
    parameters: inner.parameters,
  };
}
