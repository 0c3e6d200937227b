import { ApiPropertyOptional } from '@nestjs/swagger';
import {
  ArrayMaxSize,
  ArrayMinSize,
  IsArray,
  IsNotEmpty,
  IsString,
  MaxLength,
  Validate,
  ValidateIf,
  type ValidationArguments,
  ValidatorConstraint,
  type ValidatorConstraintInterface,
} from 'class-validator';

import { MAX_SCAN_LENGTH } from '@implant-trace/udi';

/** Barcodes printed on one label: a device-identifier symbol and its production identifiers. */
export const MAX_BARCODES_PER_LABEL = 8;

@ValidatorConstraint({ name: 'notWithBarcode' })
class NotWithBarcode implements ValidatorConstraintInterface {
  validate(_value: unknown, args: ValidationArguments): boolean {
    return (args.object as CheckScanDto).barcode === undefined;
  }

  defaultMessage(): string {
    return 'send barcode or barcodes, not both';
  }
}

/** `{barcode}` or `{barcodes: [...]}`; with neither, both fields are named as missing. */
export class CheckScanDto {
  @ApiPropertyOptional({ description: 'The scan of one barcode carrying the UDI' })
  @ValidateIf((dto: CheckScanDto) => dto.barcode !== undefined || dto.barcodes === undefined)
  @IsString()
  @IsNotEmpty()
  @MaxLength(MAX_SCAN_LENGTH)
  barcode?: string;

  @ApiPropertyOptional({
    description: 'The scans of a device-identifier barcode and its production-identifier barcodes',
    type: [String],
  })
  @ValidateIf((dto: CheckScanDto) => dto.barcodes !== undefined || dto.barcode === undefined)
  @IsArray()
  @ArrayMinSize(1)
  @ArrayMaxSize(MAX_BARCODES_PER_LABEL)
  @IsString({ each: true })
  @IsNotEmpty({ each: true })
  @MaxLength(MAX_SCAN_LENGTH, { each: true })
  @Validate(NotWithBarcode)
  barcodes?: string[];
}
