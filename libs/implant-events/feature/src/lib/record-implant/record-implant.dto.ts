import { ApiProperty, ApiPropertyOptional } from '@nestjs/swagger';
import { Type } from 'class-transformer';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsIn,
  IsISO8601,
  IsNotEmpty,
  IsObject,
  IsOptional,
  IsString,
  Matches,
  MaxLength,
  ValidateBy,
  ValidateIf,
  ValidateNested,
  type ValidationOptions,
} from 'class-validator';

import {
  LATERALITIES,
  NhsNumberUnavailableValue,
  ProcedureValue,
  UDI_FIELD_LIMITS,
} from '@implant-trace/contracts';
import { MAX_SCAN_LENGTH } from '@implant-trace/udi';

import { MAX_BARCODES_PER_LABEL } from '../check-scan/check-scan.dto';

const CALENDAR_DATE = /^\d{4}-(0[1-9]|1[0-2])-(0[1-9]|[12]\d|3[01])$/;

/**
 * Validates a field of a one-of group whenever it is given, or when none is (so a body with
 * none names every choice), and refuses it when another of the group is given too.
 */
function OneOf(group: readonly string[], validationOptions?: ValidationOptions): PropertyDecorator {
  const given = (object: object, field: string) =>
    (object as Record<string, unknown>)[field] !== undefined;
  return (target, property) => {
    ValidateIf(
      (object: object) => given(object, String(property)) || !group.some((f) => given(object, f)),
    )(target, property);
    ValidateBy(
      {
        name: 'oneOf',
        validator: {
          validate: (_value, args) =>
            !group.some((field) => field !== String(property) && given(args?.object ?? {}, field)),
          defaultMessage: () => `give exactly one of ${group.join(', ')}`,
        },
      },
      validationOptions,
    )(target, property);
  };
}

const DEVICE_SOURCES = ['barcode', 'barcodes', 'manual'] as const;
const PATIENT_SOURCES = ['nhsNumber', 'wristbandBarcode', 'nhsNumberUnavailable'] as const;

export class ManualDeviceDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(UDI_FIELD_LIMITS.deviceIdentifier)
  deviceIdentifier!: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(UDI_FIELD_LIMITS.lotNumber)
  lotNumber?: string;

  @IsOptional()
  @IsString()
  @IsNotEmpty()
  @MaxLength(UDI_FIELD_LIMITS.serialNumber)
  serialNumber?: string;

  @IsOptional()
  @Matches(CALENDAR_DATE, { message: '$property must be a date YYYY-MM-DD' })
  expirationDate?: string;

  @IsOptional()
  @Matches(CALENDAR_DATE, { message: '$property must be a date YYYY-MM-DD' })
  manufactureDate?: string;
}

export class RecordPatientDto {
  @ApiPropertyOptional({ description: 'The 10-digit NHS number' })
  @OneOf(PATIENT_SOURCES)
  @Matches(/^\d{10}$/, { message: '$property must be a 10-digit NHS number' })
  nhsNumber?: string;

  @ApiPropertyOptional({ description: 'The scan of the wristband: GS1 GSRN, AI 8018' })
  @OneOf(PATIENT_SOURCES)
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SCAN_LENGTH)
  wristbandBarcode?: string;

  @ApiPropertyOptional({ type: NhsNumberUnavailableValue })
  @OneOf(PATIENT_SOURCES)
  @IsObject()
  @ValidateNested()
  @Type(() => NhsNumberUnavailableValue)
  nhsNumberUnavailable?: NhsNumberUnavailableValue;
}

/** One of `barcode`, `barcodes` or `manual`; the patient in one of three ways. */
export class RecordImplantDto {
  @ApiPropertyOptional({ description: 'The scan of one barcode carrying the UDI' })
  @OneOf(DEVICE_SOURCES)
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SCAN_LENGTH)
  barcode?: string;

  @ApiPropertyOptional({ type: [String] })
  @OneOf(DEVICE_SOURCES)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BARCODES_PER_LABEL)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(MAX_SCAN_LENGTH, { each: true })
  barcodes?: string[];

  @ApiPropertyOptional({ type: ManualDeviceDto })
  @OneOf(DEVICE_SOURCES)
  @IsObject()
  @ValidateNested()
  @Type(() => ManualDeviceDto)
  manual?: ManualDeviceDto;

  @ApiProperty({ type: RecordPatientDto })
  @IsObject()
  @ValidateNested()
  @Type(() => RecordPatientDto)
  patient!: RecordPatientDto;

  @ApiPropertyOptional({ type: ProcedureValue })
  @IsOptional()
  @IsObject()
  @ValidateNested()
  @Type(() => ProcedureValue)
  procedure?: ProcedureValue;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  bodySite?: string;

  @IsOptional()
  @IsIn(LATERALITIES)
  laterality?: (typeof LATERALITIES)[number];

  @IsOptional()
  @IsISO8601({ strict: true })
  implantedAt?: string;
}
