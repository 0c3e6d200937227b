import type { DataSource } from 'typeorm';

import { createSchemaDataSource, prepareSchema } from '@implant-trace/platform-database';
import { testInfrastructure, uniqueName } from '@implant-trace/platform-testing';

import { dropSchema } from '../../test-support/recall-matching.test-bed';
import {
  DEVICE_RECORDS_SQL,
  RESOLVE_IMPLANTS_SQL,
} from '../catalogue-replica/catalogue-replica.repository';
import { HOSPITAL_MATCHES_SQL } from '../hospital-matches/hospital-matches.use-case';
import { RecallFollowUp1767225600410 } from '../progress/recall-follow-up.migration';
import { PROGRESS_COUNTS_SQL } from '../progress/recall-progress.use-case';
import { CatalogueRecordIdentifiers1767225600420 } from '../catalogue-replica/record-identifiers.migration';
import { CoveringActiveImplants1767225600430 } from '../implant-projection/covering-active-implants.migration';
import { CreateRecallMatching1767225600400 } from '../recall-matching.migration';
import type { RecallCriteriaValue } from '@implant-trace/contracts';

import {
  candidateDevicesQuery,
  matchCountsQuery,
  matchingImplantsQuery,
} from './criteria-sql.util';
import { HELD_MATCHES_SQL } from './match-ledger.repository';
import { IMPLANTS_SQL, OPEN_RECALLS_SQL } from './recall-matcher';

/** Tables that grow with the country's implants: never read whole. `recalls` holds tens a year. */
const LARGE = new Set(['implants', 'matches', 'catalogue_devices', 'catalogue_identifiers']);

interface PlanNode {
  'Node Type': string;
  'Relation Name'?: string;
  'Index Name'?: string;
  Plans?: PlanNode[];
}

const nodesOf = (node: PlanNode): PlanNode[] => [node, ...(node.Plans ?? []).flatMap(nodesOf)];

const RECALL = '00000000-0000-4000-8000-000000000001';
const IMPLANT = '00000000-0000-4000-8000-000000000009';
const DEVICE = '00000000-0000-4000-8000-000000000007';

/**
 * Each query a recall, an implant event or a device record runs, with the indexes its plan
 * must use (EXPLAIN on a populated schema: 200,000 implants, 50,000 devices, 60,000 matches).
 * The expected index names are the EXPLAIN kept beside each query: a plan that stops using
 * one, or reads a large table whole, fails here.
 */
type Query = { sql: string; parameters: unknown[] };

/** The candidate devices of some criteria, as the service finds them before their implants. */
let candidatesOf: (criteria: RecallCriteriaValue) => Promise<string[]>;

const recallQueries = (name: string, criteria: RecallCriteriaValue, deviceIndex: string) =>
  [
    [`${name}: its devices`, () => candidateDevicesQuery(criteria), [deviceIndex]],
    [
      `${name}: their implants`,
      async () =>
        matchingImplantsQuery(criteria, {
          kind: 'candidates',
          deviceIds: await candidatesOf(criteria),
        }),
      ['implants_active_by_device', 'implants_active_unresolved', 'catalogue_devices_pkey'],
    ],
  ] as const;

const QUERIES: (readonly [string, () => Query | Promise<Query>, readonly (string | RegExp)[]])[] = [
  ...recallQueries(
    'a recall by device identifiers and lots',
    { deviceIdentifiers: ['G7', 'B8'], lotNumbers: ['L1', 'L2', 'L3'] },
    'catalogue_record_identifiers_pkey',
  ),
  ...recallQueries(
    'a recall by serial range',
    { deviceIdentifiers: ['G7'], serialRanges: [{ from: '100', to: '900' }] },
    'catalogue_record_identifiers_pkey',
  ),
  ...recallQueries(
    'a recall by catalogue number',
    { catalogNumbers: ['REF-7'] },
    'catalogue_devices_by_catalog_number',
  ),
  ...recallQueries(
    'a recall of a product line (manufacturer and models)',
    { manufacturer: 'maker-3', models: ['model-3', 'model-503'] },
    'catalogue_devices_by_manufacturer_model',
  ),
  [
    'a dry run',
    async () =>
      matchCountsQuery(
        { deviceIdentifiers: ['G7'], lotNumbers: ['L1'] },
        await candidatesOf({ deviceIdentifiers: ['G7'] }),
      ),
    ['implants_active_by_device', 'implants_active_unresolved'],
  ],
  [
    'one implant against a recall',
    () =>
      matchingImplantsQuery(
        { deviceIdentifiers: ['G7'] },
        { kind: 'implants', implantIds: [IMPLANT] },
      ),
    ['implants_pkey', 'catalogue_devices_pkey'],
  ],
  [
    "a device record's implants against a recall",
    () =>
      matchingImplantsQuery(
        { deviceIdentifiers: ['G7'] },
        { kind: 'identifiers', identifiers: ['G7', 'B7'] },
      ),
    ['implants_by_identifier', 'catalogue_devices_pkey'],
  ],
  ['some implants', () => ({ sql: IMPLANTS_SQL, parameters: [[IMPLANT]] }), ['implants_pkey']],
  [
    'the device records of some implants',
    () => ({ sql: DEVICE_RECORDS_SQL, parameters: [[DEVICE]] }),
    ['catalogue_devices_pkey'],
  ],
  ['the open recalls', () => ({ sql: OPEN_RECALLS_SQL, parameters: [] }), ['recalls_open']],
  [
    "a recall's held matches",
    () => ({ sql: HELD_MATCHES_SQL, parameters: [RECALL, null, null] }),
    [/^matches_by_recall_/, 'implants_pkey'],
  ],
  [
    "an implant's held matches under a recall",
    () => ({ sql: HELD_MATCHES_SQL, parameters: [RECALL, [IMPLANT], null] }),
    [/^matches_by_(recall_implant|implant)$/, 'implants_pkey'],
  ],
  [
    'implants pointed at their device',
    () => ({ sql: RESOLVE_IMPLANTS_SQL, parameters: [['G7', 'B7']] }),
    ['catalogue_identifiers_pkey', 'implants_by_identifier'],
  ],
  [
    "a recall's progress",
    () => ({ sql: PROGRESS_COUNTS_SQL, parameters: [RECALL] }),
    [/^matches_by_recall_/, 'implants_pkey'],
  ],
  [
    "a hospital's page of matches",
    () => ({ sql: HOSPITAL_MATCHES_SQL, parameters: [RECALL, 'H7', null, 101] }),
    ['matches_by_recall_hospital', 'implants_pkey'],
  ],
];

describe('every recall-matching query is served by its indexes (EXPLAIN)', () => {
  jest.setTimeout(180_000);
  const schema = uniqueName('it_rm_explain');
  let dataSource: DataSource;

  beforeAll(async () => {
    dataSource = createSchemaDataSource({
      url: testInfrastructure().databaseUrl,
      schema,
      migrations: [
        CreateRecallMatching1767225600400,
        RecallFollowUp1767225600410,
        CatalogueRecordIdentifiers1767225600420,
        CoveringActiveImplants1767225600430,
      ],
      poolSize: 1,
      sessionTimeouts: { statementTimeoutMs: 120_000 },
    });
    await dataSource.initialize();
    await prepareSchema(dataSource);
    await dataSource.query(`
      INSERT INTO catalogue_devices (device_id, revision, record, identifiers, catalog_number_key, manufacturer_key, model_key)
      SELECT md5('d' || g)::uuid, 1, '{}', ARRAY['G' || g, 'B' || g], 'ref-' || g, 'maker-' || (g % 500), 'model-' || g
      FROM generate_series(1, 50000) g`);
    await dataSource.query(`
      INSERT INTO catalogue_identifiers (device_identifier, device_id)
      SELECT prefix || g, md5('d' || g)::uuid FROM generate_series(1, 50000) g, unnest(ARRAY['G', 'B']) prefix`);
    await dataSource.query(`
      INSERT INTO catalogue_record_identifiers (device_identifier, device_id)
      SELECT device_identifier, device_id FROM catalogue_identifiers`);
    await dataSource.query(`
      INSERT INTO implants (implant_id, recorded, hospital_ods, patient, patient_key, udi, device_identifier,
        device_id, lot_number, serial_number, serial_value, status)
      SELECT md5('i' || g)::uuid, true, 'H' || (g % 300), '{}', 'p' || (g % 150000), '{}',
        CASE WHEN g % 400 = 0 THEN 'U' || g ELSE 'G' || (g % 50000 + 1) END,
        CASE WHEN g % 400 = 0 THEN NULL ELSE md5('d' || (g % 50000 + 1))::uuid END,
        'L' || (g % 50), g::text, g, CASE WHEN g % 10 = 0 THEN 'explanted' ELSE 'active' END
      FROM generate_series(1, 200000) g`);
    await dataSource.query(`
      INSERT INTO recalls (recall_id, status, details, issued_at, updated_at)
      SELECT md5('r' || g)::uuid, CASE WHEN g % 100 = 0 THEN 'open' ELSE 'closed' END, '{}', now(), now()
      FROM generate_series(1, 2000) g`);
    await dataSource.query(`
      INSERT INTO matches (match_id, recall_id, implant_id, hospital_ods, kind, live, found_at)
      SELECT md5('m' || g)::uuid, CASE WHEN g <= 100 THEN '${RECALL}'::uuid ELSE md5('r' || (g % 2000))::uuid END,
        md5('i' || g)::uuid, 'H' || (g % 300), 'matched', true, now()
      FROM generate_series(1, 60000) g`);
    await dataSource.query(`ANALYZE`);
    candidatesOf = async (criteria) => {
      const query = candidateDevicesQuery(criteria);
      const rows = (await dataSource.query(query.sql, query.parameters)) as { device_id: string }[];
      return rows.map((row) => row.device_id);
    };
  });

  afterAll(async () => {
    await dataSource.destroy();
    await dropSchema(schema);
  });

  it.each(QUERIES)('%s', async (_name, query, indexes) => {
    const { sql, parameters } = await query();
    const [row] = (await dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters)) as {
      'QUERY PLAN': { Plan: PlanNode }[];
    }[];
    const nodes = nodesOf(row!['QUERY PLAN'][0]!.Plan);
    const wholeReads = nodes
      .filter((node) => node['Node Type'] === 'Seq Scan' && LARGE.has(node['Relation Name'] ?? ''))
      .map((node) => node['Relation Name']);
    expect({
      wholeReads,
      plan:
        wholeReads.length === 0
          ? []
          : nodes.map(
              (n) => `${n['Node Type']} ${n['Relation Name'] ?? ''} ${n['Index Name'] ?? ''}`,
            ),
    }).toEqual({ wholeReads: [], plan: [] });
    const used = nodes.flatMap((node) =>
      node['Index Name'] === undefined ? [] : [node['Index Name']],
    );
    const missing = indexes.filter((index) =>
      used.every((name) => (typeof index === 'string' ? name !== index : !index.test(name))),
    );
    expect({ missing, used }).toEqual({ missing: [], used });
  });

  it('a dry run reads the implants from the index alone (no heap page per implant)', async () => {
    const { sql, parameters } = matchCountsQuery(
      { manufacturer: 'maker-3', models: ['model-3', 'model-503'] },
      await candidatesOf({ manufacturer: 'maker-3', models: ['model-3', 'model-503'] }),
    );
    const [row] = (await dataSource.query(`EXPLAIN (FORMAT JSON) ${sql}`, parameters)) as {
      'QUERY PLAN': { Plan: PlanNode }[];
    }[];
    const implantReads = nodesOf(row!['QUERY PLAN'][0]!.Plan)
      .filter((node) => node['Index Name'] === 'implants_active_by_device')
      .map((node) => node['Node Type']);
    expect(implantReads).toEqual(['Index Only Scan']);
  });
});
