// eslint-disable-next-line @typescript-eslint/triple-slash-reference -- an ambient declaration that every project compiling contracts needs
/// <reference path="../types/class-transformer-storage.d.ts" />
import { defaultMetadataStorage } from 'class-transformer/cjs/storage';
import { TransformationType } from 'class-transformer';
import type { ValidationArguments } from 'class-validator';
import { getMetadataStorage, ValidationTypes } from 'class-validator';
import type { ConstraintMetadata } from 'class-validator/types/metadata/ConstraintMetadata';
import type { ValidationMetadata } from 'class-validator/types/metadata/ValidationMetadata';

type Class = abstract new () => object;

interface ConstraintCheck {
  metadata: ValidationMetadata;
  /** The constraint classes' instances, as class-validator's default container holds them. */
  validators: ConstraintMetadata['instance'][];
}

interface PropertyPlan {
  name: string;
  /** `@IsOptional` and `@ValidateIf`: the property is validated only when all of them hold. */
  conditions: ((object: object, value: unknown) => boolean)[];
  checks: ConstraintCheck[];
  /** The class of a `@ValidateNested` property, from its `@Type`. */
  nested: ClassPlan | undefined;
}

interface ClassPlan {
  target: Class;
  properties: PropertyPlan[];
  known: ReadonlySet<string>;
}

/** Why a class has no plan: it uses something the plan does not reproduce exactly. */
class UnplannableError extends Error {}

const storage = getMetadataStorage();
const PLANNED_TYPES = new Set<string>([
  ValidationTypes.CUSTOM_VALIDATION,
  ValidationTypes.CONDITIONAL_VALIDATION,
  ValidationTypes.NESTED_VALIDATION,
]);

function plannable(check: boolean, why: string): asserts check {
  if (!check) throw new UnplannableError(why);
}

/**
 * The class-transformer step that class-validator's verdict depends on must be a plain copy
 * for the plan to read the plain object instead: no `@Transform`, `@Expose`, `@Exclude`, no
 * field initialisers, and `@Type` only where a nested class is validated.
 */
function assertPlainCopy(target: Class, property: string, nested: boolean): void {
  plannable(defaultMetadataStorage.getStrategy(target) === 'none', 'a transformer strategy');
  plannable(
    defaultMetadataStorage.findTransformMetadatas(
      target,
      property,
      TransformationType.PLAIN_TO_CLASS,
    ).length === 0,
    '@Transform',
  );
  plannable(
    defaultMetadataStorage.findExposeMetadata(target, property) === undefined &&
      defaultMetadataStorage.findExcludeMetadata(target, property) === undefined,
    '@Expose or @Exclude',
  );
  const type = defaultMetadataStorage.findTypeMetadata(target, property);
  plannable((type !== undefined) === nested, '@Type without @ValidateNested, or the reverse');
  plannable(type?.options?.discriminator === undefined, 'a @Type discriminator');
}

function planOf(target: Class, building: Map<Class, ClassPlan>): ClassPlan {
  const known = building.get(target);
  if (known !== undefined) return known;
  // The same metadata, by the same call, that class-validator reads for each object it checks.
  const metadatas = storage.getTargetValidationMetadatas(
    target as unknown as new () => object,
    '',
    false,
    false,
  );
  plannable(metadatas.length > 0, 'no validation metadata');
  const instance = Reflect.construct(target, []) as Record<string, unknown>;
  plannable(
    Object.values(instance).every((value) => value === undefined),
    'a field initialiser',
  );
  const plan: ClassPlan = { target, properties: [], known: new Set() };
  building.set(target, plan);
  const byProperty = storage.groupByPropertyName(metadatas);
  for (const [name, own] of Object.entries(byProperty)) {
    const property: PropertyPlan = { name, conditions: [], checks: [], nested: undefined };
    for (const metadata of own) {
      plannable(PLANNED_TYPES.has(metadata.type), `validation type ${metadata.type}`);
      if (metadata.type === ValidationTypes.CONDITIONAL_VALIDATION) {
        property.conditions.push(
          metadata.constraints[0] as (object: object, value: unknown) => boolean,
        );
      } else if (metadata.type === ValidationTypes.CUSTOM_VALIDATION) {
        const constraints = storage.getTargetValidatorConstraints(metadata.constraintCls);
        plannable(
          constraints.every((c) => !c.async),
          `asynchronous constraint ${metadata.name ?? ''}`,
        );
        property.checks.push({ metadata, validators: constraints.map((c) => c.instance) });
      } else {
        const type = defaultMetadataStorage.findTypeMetadata(target, name);
        plannable(type !== undefined, `@ValidateNested without @Type on ${name}`);
        property.nested = planOf(type.typeFunction() as Class, building);
      }
    }
    assertPlainCopy(target, name, property.nested !== undefined);
    plan.properties.push(property);
  }
  plan.known = new Set(Object.keys(byProperty));
  return plan;
}

/** An object literal or parsed JSON (of any realm), not an array or a class instance. */
function isPlainObject(value: unknown): value is Record<string, unknown> {
  if (typeof value !== 'object' || value === null || Array.isArray(value)) return false;
  const prototype = Object.getPrototypeOf(value) as object | null;
  return prototype === null || Object.getPrototypeOf(prototype) === null;
}

function passes(check: ConstraintCheck, plan: ClassPlan, object: object, value: unknown): boolean {
  const { metadata } = check;
  if (metadata.validateIf !== undefined && !metadata.validateIf(object, value)) return true;
  const args: ValidationArguments = {
    targetName: plan.target.name,
    property: metadata.propertyName,
    object,
    value,
    constraints: metadata.constraints,
  };
  for (const validator of check.validators) {
    const validate = (item: unknown) => Boolean(validator.validate(item, args));
    if (!metadata.each) {
      if (!validate(value)) return false;
    } else if (Array.isArray(value)) {
      if (!value.every(validate)) return false;
    } else if (value instanceof Set || value instanceof Map || !validate(value)) {
      return false;
    }
  }
  return true;
}

function nestedPasses(plan: ClassPlan, value: unknown): boolean {
  if (value === undefined) return true;
  if (Array.isArray(value)) return value.every((item) => accepts(plan, item));
  return accepts(plan, value);
}

/** True only where class-validator, given the same object, would report no error. */
function accepts(plan: ClassPlan, object: unknown): boolean {
  if (!isPlainObject(object)) return false;
  for (const key of Object.keys(object)) if (!plan.known.has(key)) return false;
  for (const property of plan.properties) {
    const value = object[property.name];
    let validated = true;
    for (const condition of property.conditions) validated = condition(object, value) && validated;
    if (!validated) continue;
    for (const check of property.checks) if (!passes(check, plan, object, value)) return false;
    if (property.nested !== undefined && !nestedPasses(property.nested, value)) return false;
  }
  return true;
}

/**
 * A contract class's validation rules read once, so a payload can be checked without
 * class-transformer's copy and class-validator's per-call metadata look-ups (about 19 µs of a
 * recall match event's publish, and as much again where it is consumed). It is not a second
 * validator: it calls the same constraint functions with the same arguments, and it only ever
 * accepts. Anything it refuses (an unknown field, a null, a failing rule) goes to
 * class-validator, whose verdict and messages stand. ajv from the generated JSON Schemas was
 * the alternative; its keywords are other implementations of the same rules (its uuid, its
 * maxLength), and a conditional rule such as the patient's would have needed a hand-written
 * schema, so it would be a second source of truth to keep in step. A class that uses anything
 * the plan does not reproduce exactly has no plan: it is always checked by class-validator.
 */
export class ValidationPlan {
  private constructor(private readonly plan: ClassPlan) {}

  /** Undefined when the class (or a class nested in it) uses something the plan cannot reproduce. */
  static of(target: Class): ValidationPlan | undefined {
    const built = ValidationPlan.build(target);
    return 'plan' in built ? new ValidationPlan(built.plan) : undefined;
  }

  /** Why the class has no plan; undefined when it has one. */
  static whyNot(target: Class): string | undefined {
    const built = ValidationPlan.build(target);
    return 'why' in built ? built.why : undefined;
  }

  private static build(target: Class): { plan: ClassPlan } | { why: string } {
    try {
      return { plan: planOf(target, new Map()) };
    } catch (error) {
      if (error instanceof UnplannableError) return { why: error.message };
      throw error;
    }
  }

  /**
   * True when the payload, exactly as given, has no field outside the contract and breaks no
   * rule; false when class-validator must decide (and report) instead.
   */
  accepts(payload: unknown): boolean {
    return accepts(this.plan, payload);
  }
}
