import { SetMetadata } from '@nestjs/common';

import type { PATIENT_FIELD_PREFIX, PATIENT_IDENTIFIER_FIELDS } from './patient-identifiers.util';

export const REGULATOR_FACING = 'implant-trace:regulator-facing';

type WithoutSeparators<S extends string> =
  S extends `${infer Head}${'_' | '-' | ' ' | '.'}${infer Tail}`
    ? WithoutSeparators<`${Head}${Tail}`>
    : S;

/** A field name as `normalisedFieldName` spells it, at the type level. */
type Normalised<K> = K extends string ? Lowercase<WithoutSeparators<K>> : never;

type IdentifyingField<K, V> = [V] extends [null | undefined]
  ? false
  : Normalised<K> extends (typeof PATIENT_IDENTIFIER_FIELDS)[number] | `${string}nhsnumber${string}`
    ? true
    : Normalised<K> extends `${typeof PATIENT_FIELD_PREFIX}${string}`
      ? [Exclude<V, number | null | undefined>] extends [never]
        ? false
        : true
      : false;

type IsAny<T> = 0 extends 1 & T ? true : false;
type Deeper = [never, 0, 1, 2, 3, 4, 5, 6, 7, 8];

/**
 * The paths (`items.patient`) of a type's patient fields, in any spelling and at any depth;
 * `any` and `unknown` count as one, because they could hold anything.
 */
export type PatientFieldPaths<T, Depth extends number = 9> = [Depth] extends [never]
  ? never
  : IsAny<T> extends true
    ? '(any)'
    : unknown extends T
      ? '(unknown)'
      : T extends string | number | bigint | boolean | symbol | null | undefined | Date
        ? never
        : T extends readonly (infer Item)[]
          ? PatientFieldPaths<Item, Deeper[Depth]>
          : {
              [K in keyof T & string]-?: IdentifyingField<K, T[K]> extends true
                ? K
                : `${K}.${PatientFieldPaths<T[K], Deeper[Depth]>}`;
            }[keyof T & string];

type RegulatorSafeMethod<M> = M extends (...args: never[]) => infer Result
  ? [PatientFieldPaths<Awaited<Result>>] extends [never]
    ? unknown
    : { 'patient fields in a regulator-facing response': PatientFieldPaths<Awaited<Result>> }
  : never;

/**
 * Declares a route's response regulator-facing: its declared return type may hold no patient
 * field in any spelling (and may not be `any` or `unknown`), which the compiler checks. The
 * runtime check of every regulator response (`PatientDataInterceptor`) stays as the second
 * line, for the values a type cannot see (an NHS number typed into a free-text field).
 */
export function RegulatorFacing(): <M extends (...args: never[]) => unknown>(
  target: object,
  key: string | symbol,
  descriptor: TypedPropertyDescriptor<M> & RegulatorSafeMethod<M>,
) => void {
  const mark = SetMetadata(REGULATOR_FACING, true);
  return (target, key, descriptor) => {
    mark(target, key, descriptor);
  };
}
