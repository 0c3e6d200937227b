import { readdirSync, readFileSync } from 'node:fs';
import { join } from 'node:path';

import '../index';
import { EVENT_DEFINITIONS } from './event-catalogue';
import type { JsonSchema } from './json-schema.util';
import { compatibilityProblems, eventJsonSchemas } from './json-schema.util';

const schemasDir = join(__dirname, '..', '..', 'schemas');

function committed(folder: 'current' | 'published'): Record<string, JsonSchema> {
  return Object.fromEntries(
    readdirSync(join(schemasDir, folder)).map((file) => [
      file.replace(/\.json$/, ''),
      JSON.parse(readFileSync(join(schemasDir, folder, file), 'utf8')) as JsonSchema,
    ]),
  );
}

describe('event JSON Schemas', () => {
  const generated = eventJsonSchemas();

  it('committed schemas are exactly what the classes generate (npm run contracts:schemas)', () => {
    expect(committed('current')).toEqual(JSON.parse(JSON.stringify(generated)));
  });

  it('every event type has a published baseline', () => {
    expect(Object.keys(committed('published')).sort()).toEqual(
      EVENT_DEFINITIONS.map((d) => d.type).sort(),
    );
  });

  it('stays compatible with every published version', () => {
    expect(compatibilityProblems(committed('published'), generated)).toEqual([]);
  });

  it.each(EVENT_DEFINITIONS.map((d) => [d.type, d] as const))(
    '%s: its key field is a required string',
    (type, definition) => {
      const schema = generated[type];
      expect(schema?.required).toContain(definition.keyField);
      expect(schema?.properties?.[definition.keyField]?.type).toBe('string');
    },
  );
});

describe('compatibilityProblems', () => {
  const published: Record<string, JsonSchema> = {
    'x.v1': {
      type: 'object',
      properties: {
        id: { type: 'string' },
        count: { type: 'integer' },
        nested: { type: 'object', properties: { lot: { type: 'string' } }, required: ['lot'] },
      },
      required: ['id', 'nested'],
    },
  };

  it('accepts an added optional field', () => {
    const current = structuredClone(published);
    current['x.v1']!.properties!['extra'] = { type: 'string' };
    expect(compatibilityProblems(published, current)).toEqual([]);
  });

  it('detects a removed field, also when nested', () => {
    const current = structuredClone(published);
    delete current['x.v1']!.properties!['count'];
    delete current['x.v1']!.properties!['nested']!.properties!['lot'];
    expect(compatibilityProblems(published, current).map((p) => [p.path, p.problem])).toEqual([
      ['$.count', 'published field removed'],
      ['$.nested.lot', 'published field removed'],
    ]);
  });

  it('detects a changed type', () => {
    const current = structuredClone(published);
    current['x.v1']!.properties!['count'] = { type: 'string' };
    expect(compatibilityProblems(published, current)).toEqual([
      { type: 'x.v1', path: '$.count', problem: 'type changed from "integer" to "string"' },
    ]);
  });

  it('detects a new required field and a required field made optional', () => {
    const current = structuredClone(published);
    current['x.v1']!.properties!['extra'] = { type: 'string' };
    current['x.v1']!.required = ['nested', 'extra'];
    expect(compatibilityProblems(published, current).map((p) => p.problem)).toEqual([
      'new field is required',
      'required field became optional',
    ]);
  });

  it('detects a removed event type', () => {
    expect(compatibilityProblems(published, {})).toEqual([
      { type: 'x.v1', path: '', problem: 'published event type removed' },
    ]);
  });
});
