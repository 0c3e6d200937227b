import { plainToInstance } from 'class-transformer';
import type { ValidationError } from 'class-validator';
import { validateSync } from 'class-validator';

import type { EventDefinition } from './event-catalogue';
import { ValidationPlan } from './validation-plan';

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

const plans = new Map<abstract new () => object, ValidationPlan | undefined>();

function planOf(payload: abstract new () => object): ValidationPlan | undefined {
  if (!plans.has(payload)) plans.set(payload, ValidationPlan.of(payload));
  return plans.get(payload);
}

/**
 * Validates an event payload against its contract class. Publishers are strict (an unknown
 * field is a bug in the publisher); consumers accept fields added later within the version
 * and drop them, so an additive change never sends a message to the dead-letter topic. An
 * accepted payload is the object given when it holds nothing to drop, else the validated copy.
 */
export function validateEventPayload<P extends object>(
  definition: EventDefinition<P>,
  data: unknown,
  mode: 'publish' | 'consume',
): PayloadValidation<P> {
  if (typeof data !== 'object' || data === null || Array.isArray(data)) {
    return { ok: false, errors: [{ field: '', message: 'payload must be a JSON object' }] };
  }
  // The plan only accepts: whatever it does not, class-validator decides and explains.
  if (planOf(definition.payload)?.accepts(data) === true) return { ok: true, payload: data as P };
  return validateByClassValidator(definition, data, mode);
}

/** class-validator's verdict alone: what {@link validateEventPayload} answers whenever the plan does not accept. */
export function validateByClassValidator<P extends object>(
  definition: EventDefinition<P>,
  data: object,
  mode: 'publish' | 'consume',
): PayloadValidation<P> {
  const payload = plainToInstance(definition.payload, data);
  const errors = validateSync(payload, {
    whitelist: true,
    forbidNonWhitelisted: mode === 'publish',
    forbidUnknownValues: true,
  });
  return errors.length === 0 ? { ok: true, payload } : { ok: false, errors: flatten(errors) };
}
