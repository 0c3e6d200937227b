import { plainToInstance } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import { validateSync } from 'class-validator';

import type { EventDefinition } from './event-catalogue';

export interface FieldError {
  field: string;
  message: string;
}

export type PayloadValidation<P> = { ok: true; payload: P } | { ok: false; errors: FieldError[] };

function flatten(errors: ValidationError[], parent = ''): FieldError[] {
  return errors.flatMap((error) => {
    const field = parent === '' ? error.property : `${parent}.${error.property}`;
    const own = Object.values(error.constraints ?? {}).map((message) => ({ field, message }));
    return [...own, ...flatten(error.children ?? [], field)];
  });
}

/**
 * Validates an event payload against its contract class. Publishers are strict (an unknown
 * field is a bug in the publisher); consumers accept fields added later within the version
 * and drop them, so an additive change never sends a message to the dead-letter topic.
 */
export function validateEventPayload<P extends object>(
  definition: EventDefinition<P>,
  data: unknown,
  mode: 'publish' | 'consume',
): PayloadValidation<P> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, errors: [{ field: '', message: 'payload must be a JSON object' }] };
  }
  const payload = plainToInstance(definition.payload, data);
  const errors = validateSync(payload, {
    whitelist: true,
    forbidNonWhitelisted: mode === 'publish',
    forbidUnknownValues: true,
  });
  return errors.length === 0 ? { ok: true, payload } : { ok: false, errors: flatten(errors) };
}
