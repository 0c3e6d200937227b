import { Type } from 'class-transformer';
import {
  IsArray,
  IsIn,
  IsISO8601,
  IsObject,
  IsOptional,
  IsString,
  IsUUID,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
} from 'class-validator';

import { UdiValue } from '../../shared/udi.value';
import {
  IsNhsNumberDigits,
  IsOdsCode,
  OptionalNested,
  RequiredNested,
} from '../../shared/validation.util';

export const LATERALITIES = ['left', 'right', 'bilateral', 'na'] as const;
export const ENTRY_METHODS = ['barcode', 'manual'] as const;
export const REVIEW_FLAGS = [
  'unknown-device',
  'manual-entry',
  'duplicate-serial',
  'nhs-number-unavailable',
  'parse-warning',
  'recalled-device',
  'expired-device',
  'unverified-device',
] as const;
export type ReviewFlag = (typeof REVIEW_FLAGS)[number];

export class NhsNumberUnavailableValue {
  @IsString()
  @MaxLength(500)
  reason!: string;

  @IsString()
  @MaxLength(64)
  localPatientId!: string;
}

/** Exactly one of `nhsNumber` or `nhsNumberUnavailable`. */
export class PatientValue {
  // Validated whenever given: with both given, an unchecked NHS number would travel unseen.
  @ValidateIf(
    (patient: PatientValue) =>
      patient.nhsNumber !== undefined || patient.nhsNumberUnavailable === undefined,
  )
  @ValidateBy({
    name: 'notWithNhsNumberUnavailable',
    validator: {
      validate: (_value, args) =>
        (args?.object as PatientValue | undefined)?.nhsNumberUnavailable === undefined,
      defaultMessage: () => 'give nhsNumber or nhsNumberUnavailable, not both',
    },
  })
  @IsNhsNumberDigits()
  nhsNumber?: string;

  @ValidateIf((patient: PatientValue) => patient.nhsNumber === undefined)
  @IsObject({ message: '$property must be an object when nhsNumber is absent' })
  @ValidateNested()
  @Type(() => NhsNumberUnavailableValue)
  nhsNumberUnavailable?: NhsNumberUnavailableValue;
}

export class ProcedureValue {
  @IsOptional()
  @IsString()
  @MaxLength(50)
  code?: string;

  @IsOptional()
  @IsString()
  @MaxLength(500)
  description?: string;
}

/** `implant.recorded.v1`: a device went into a patient. */
export class ImplantRecordedV1 {
  @IsUUID()
  implantId!: string;

  @IsOdsCode()
  hospitalOds!: string;

  @RequiredNested(() => PatientValue)
  patient!: PatientValue;

  @RequiredNested(() => UdiValue)
  udi!: UdiValue;

  @IsOptional()
  @IsUUID()
  deviceId?: string;

  @IsIn(ENTRY_METHODS)
  entryMethod!: (typeof ENTRY_METHODS)[number];

  @IsOptional()
  @IsString()
  @MaxLength(4096)
  rawScan?: string;

  @OptionalNested(() => ProcedureValue)
  procedure?: ProcedureValue;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  bodySite?: string;

  @IsOptional()
  @IsIn(LATERALITIES)
  laterality?: (typeof LATERALITIES)[number];

  @IsISO8601({ strict: true })
  implantedAt!: string;

  @IsString()
  @MaxLength(200)
  recordedBy!: string;

  @IsArray()
  @IsIn(REVIEW_FLAGS, { each: true })
  reviewFlags!: (typeof REVIEW_FLAGS)[number][];
}
