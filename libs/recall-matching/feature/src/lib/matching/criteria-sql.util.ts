import {
  normaliseName,
  serialRangeRule,
  type RecallCriteria,
} from '@implant-trace/recall-criteria';

/**
 * Which implants a query looks at: every active implant a recall's devices could cover (an
 * issue, a change, a dry run), or only some (an implant's own event, a device record's
 * identifiers). The verdict on each implant is the same whichever scope found it.
 */
export type MatchScope =
  | { kind: 'all' }
  | { kind: 'implants'; implantIds: readonly string[] }
  | { kind: 'identifiers'; identifiers: readonly string[] };

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
    `(CASE WHEN d.device_id IS NULL OR d.${column} IS NULL THEN NULL ELSE ${condition} END)`;
  const production = (column: string, condition: string) =>
    `(CASE WHEN i.${column} IS NULL THEN NULL ELSE ${condition} END)`;
  if (criteria.deviceIdentifiers !== undefined) {
    const identifiers = p.add(criteria.deviceIdentifiers, 'text[]');
    // A scanned identifier no record names yet may be a packaging level of a recalled device.
    checks.push(
      `(CASE WHEN d.device_id IS NULL
         THEN (CASE WHEN i.device_identifier = ANY(${identifiers}) THEN TRUE ELSE NULL END)
         ELSE d.identifiers && ${identifiers} END)`,
    );
  }
  if (criteria.catalogNumbers !== undefined) {
    const refs = p.add(names(criteria.catalogNumbers), 'text[]');
    checks.push(catalogue('catalog_number_key', `d.catalog_number_key = ANY(${refs})`));
  }
  if (criteria.manufacturer !== undefined) {
    const maker = p.add(normaliseName(criteria.manufacturer), 'text');
    checks.push(catalogue('manufacturer_key', `d.manufacturer_key = ${maker}`));
  }
  if (criteria.models !== undefined) {
    const models = p.add(names(criteria.models), 'text[]');
    checks.push(catalogue('model_key', `d.model_key = ANY(${models})`));
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
 * served by an index of catalogue_devices). Only a superset: every criterion is checked again
 * on each implant, so this narrows where to look, never what matches.
 */
function candidateDevices(criteria: RecallCriteria, p: Parameters): string {
  if (criteria.deviceIdentifiers !== undefined) {
    return `SELECT device_id FROM catalogue_devices
            WHERE identifiers && ${p.add(criteria.deviceIdentifiers, 'text[]')}`;
  }
  if (criteria.catalogNumbers !== undefined) {
    const refs = p.add([...new Set(criteria.catalogNumbers.map(normaliseName))], 'text[]');
    return `SELECT device_id FROM catalogue_devices
            WHERE catalog_number_key = ANY(${refs}) OR catalog_number_key IS NULL`;
  }
  if (criteria.manufacturer !== undefined) {
    const maker = p.add(normaliseName(criteria.manufacturer), 'text');
    return `SELECT device_id FROM catalogue_devices
            WHERE manufacturer_key = ${maker} OR manufacturer_key IS NULL`;
  }
  // validateCriteria refuses criteria without a device selector before they get here.
  throw new Error('criteria without a device selector');
}

const IMPLANT_COLUMNS = `implant_id, hospital_ods, patient_key, patient, udi, device_identifier, device_id,
  lot_number, serial_number, serial_value, manufacture_date, expiration_date, status`;

function candidateImplants(criteria: RecallCriteria, scope: MatchScope, p: Parameters): string {
  switch (scope.kind) {
    case 'all':
      return `SELECT ${IMPLANT_COLUMNS} FROM implants
              WHERE status = 'active' AND device_id IN (${candidateDevices(criteria, p)})
              UNION ALL
              SELECT ${IMPLANT_COLUMNS} FROM implants
              WHERE status = 'active' AND device_id IS NULL`;
    case 'implants':
      return `SELECT ${IMPLANT_COLUMNS} FROM implants
              WHERE status = 'active' AND implant_id = ANY(${p.add(scope.implantIds, 'uuid[]')})`;
    case 'identifiers':
      return `SELECT ${IMPLANT_COLUMNS} FROM implants
              WHERE status = 'active'
                AND device_identifier = ANY(${p.add(scope.identifiers, 'text[]')})`;
  }
}

/**
 * The implants in scope that a recall's criteria cover, each with `kind` 'matched' or
 * 'possible'. Criteria must have passed `validateCriteria`.
 */
export function matchingImplantsQuery(criteria: RecallCriteria, scope: MatchScope): SqlQuery {
  const p = new Parameters();
  const candidates = candidateImplants(criteria, scope, p);
  const checks = checksOf(criteria, p);
  const sql = `
    SELECT i.implant_id, i.hospital_ods, i.patient_key, i.patient, i.udi,
           CASE WHEN (${checks.join(' AND ')}) IS TRUE THEN 'matched' ELSE 'possible' END AS kind
    FROM (${candidates}) AS i
    LEFT JOIN catalogue_devices d ON d.device_id = i.device_id
    WHERE ${checks.map((check) => `${check} IS NOT FALSE`).join(' AND ')}`;
  return { sql, parameters: p.values };
}

/**
 * A dry run's counts over the same matching query: one row per hospital, and one row with a
 * null hospital for the whole (a patient treated at two hospitals is one patient there).
 */
export function matchCountsQuery(criteria: RecallCriteria): SqlQuery {
  const inner = matchingImplantsQuery(criteria, { kind: 'all' });
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
