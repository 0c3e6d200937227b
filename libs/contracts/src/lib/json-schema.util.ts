// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient declaration that every project compiling contracts needs
/// <reference path="../types/class-transformer-storage.d.ts" />
// The metadata of @Type, so nested arrays get their item schemas (no public entry point has it).
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { validationMetadatasToSchemas } from 'class-validator-jsonschema';

import { EVENT_DEFINITIONS } from './event-catalogue';

export type JsonSchema = {
  type?: string | string[];
  properties?: Record<string, JsonSchema>;
  required?: string[];
  items?: JsonSchema;
  $ref?: string;
  [keyword: string]: unknown;
};

const REF_PREFIX = '#/definitions/';

/** Inlines `$ref`s so each event's schema stands alone in one file. */
function inline(schema: JsonSchema, all: Record<string, JsonSchema>, seen: string[]): JsonSchema {
  if (schema.$ref?.startsWith(REF_PREFIX)) {
    const name = schema.$ref.slice(REF_PREFIX.length);
    if (seen.includes(name)) throw new Error(`recursive contract class ${name}`);
    const target = all[name];
    if (target === undefined) throw new Error(`no schema for ${name}`);
    return inline(target, all, [...seen, name]);
  }
  const result: JsonSchema = {};
  for (const [keyword, value] of Object.entries(schema)) {
    if (keyword === 'properties' && value !== undefined) {
      result.properties = Object.fromEntries(
        Object.entries(value as Record<string, JsonSchema>).map(([key, child]) => [
          key,
          inline(child, all, seen),
        ]),
      );
    } else if (keyword === 'items' && value !== undefined) {
      result.items = inline(value as JsonSchema, all, seen);
    } else {
      result[keyword] = value;
    }
  }
  return result;
}

/** A payload class that only renames its parent has no metadata of its own: use the parent's. */
function schemaOfClass(payload: abstract new () => object, all: Record<string, JsonSchema>) {
  for (let c: unknown = payload; typeof c === 'function' && c.name !== '';) {
    const schema = all[c.name];
    if (schema !== undefined) return schema;
    c = Object.getPrototypeOf(c);
  }
  throw new Error(`no schema for ${payload.name}`);
}

/** JSON Schema (draft 2020-12 subset) of every event type, keyed by `ce_type`. */
export function eventJsonSchemas(): Record<string, JsonSchema> {
  const all = validationMetadatasToSchemas({
    refPointerPrefix: REF_PREFIX,
    classTransformerMetadataStorage: defaultMetadataStorage,
  }) as Record<string, JsonSchema>;
  return Object.fromEntries(
    EVENT_DEFINITIONS.map((definition) => {
      const own = schemaOfClass(definition.payload, all);
      return [
        definition.type,
        {
          $schema: 'https://json-schema.org/draft/2020-12/schema',
          $id: `urn:implant-trace:event:${definition.type}`,
          title: definition.type,
          'x-topic': definition.topic.name,
          'x-key': definition.keyField,
          ...inline(own, all, []),
        },
      ];
    }),
  );
}

export interface CompatibilityProblem {
  type: string;
  path: string;
  problem: string;
}

function typeOf(schema: JsonSchema | undefined): string {
  return JSON.stringify(schema?.type ?? (schema?.properties ? 'object' : 'any'));
}

function compare(
  type: string,
  published: JsonSchema,
  current: JsonSchema,
  path: string,
): CompatibilityProblem[] {
  const problems: CompatibilityProblem[] = [];
  if (typeOf(published) !== typeOf(current)) {
    problems.push({
      type,
      path,
      problem: `type changed from ${typeOf(published)} to ${typeOf(current)}`,
    });
    return problems;
  }
  const publishedRequired = new Set(published.required ?? []);
  for (const field of current.required ?? []) {
    if (!publishedRequired.has(field) && published.properties?.[field] === undefined) {
      problems.push({ type, path: `${path}.${field}`, problem: 'new field is required' });
    }
  }
  for (const [field, schema] of Object.entries(published.properties ?? {})) {
    const now = current.properties?.[field];
    if (now === undefined) {
      problems.push({ type, path: `${path}.${field}`, problem: 'published field removed' });
      continue;
    }
    if (publishedRequired.has(field) && !(current.required ?? []).includes(field)) {
      problems.push({ type, path: `${path}.${field}`, problem: 'required field became optional' });
    }
    problems.push(...compare(type, schema, now, `${path}.${field}`));
  }
  if (published.items !== undefined && current.items !== undefined) {
    problems.push(...compare(type, published.items, current.items, `${path}[]`));
  }
  return problems;
}

/**
 * What would break a consumer of an already published version: a removed field, a changed
 * type, a field that consumers relied on becoming optional, or a new required field.
 */
export function compatibilityProblems(
  published: Record<string, JsonSchema>,
  current: Record<string, JsonSchema>,
): CompatibilityProblem[] {
  return Object.entries(published).flatMap(([type, schema]) => {
    const now = current[type];
    if (now === undefined) return [{ type, path: '', problem: 'published event type removed' }];
    return compare(type, schema, now, '$');
  });
}
