import { Type } from 'class-transformer';
import { IsArray, IsObject, IsOptional, Matches, ValidateNested } from 'class-validator';

/** YYYY-MM-DD calendar date, as dates travel in every event. */
export const IsCalendarDate = (): PropertyDecorator =>
  Matches(/^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/, {
    message: '$property must be a YYYY-MM-DD date',
  });

/** ODS organisation code, upper case (old 3/5-character or newer letter-digit forms). */
export const IsOdsCode = (): PropertyDecorator =>
  Matches(/^[A-Z0-9]{3,6}$/, { message: '$property must be an upper-case ODS code' });

/** Ten digits; the modulus-11 check is the recording service's job, before publishing. */
export const IsNhsNumberDigits = (): PropertyDecorator =>
  Matches(/^\d{10}$/, { message: '$property must be a 10-digit NHS number' });

type NestedClass = () => new () => object;

function compose(...decorators: PropertyDecorator[]): PropertyDecorator {
  return (target, property) => {
    for (const decorate of decorators) decorate(target, property);
  };
}

/**
 * A nested object the contract requires. `@ValidateNested()` alone lets an absent property
 * through (and an array, whose elements it validates instead): a missing `labelCarries` would
 * pass and later read as "the label carries nothing". Absent, null, an array or a primitive is
 * an error naming the property.
 */
export const RequiredNested = (type: NestedClass): PropertyDecorator =>
  compose(
    IsObject({ message: '$property is required and must be an object' }),
    ValidateNested(),
    Type(type),
  );

/** A nested object that may be left out (or null); when given it must be an object. */
export const OptionalNested = (type: NestedClass): PropertyDecorator =>
  compose(
    IsOptional(),
    IsObject({ message: '$property must be an object' }),
    ValidateNested(),
    Type(type),
  );

/**
 * An array of nested objects: each element must be an object (`@ValidateNested({ each: true })`
 * alone accepts an element that is itself an array). Combine with `@IsOptional()` or array size
 * rules as the field needs.
 */
export const NestedArray = (type: NestedClass): PropertyDecorator =>
  compose(
    IsArray(),
    IsObject({ each: true, message: 'each element of $property must be an object' }),
    ValidateNested({ each: true }),
    Type(type),
  );
