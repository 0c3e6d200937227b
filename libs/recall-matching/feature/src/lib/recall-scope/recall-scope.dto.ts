import { IsIn, IsJSON, IsOptional, IsString, MaxLength } from 'class-validator';

import { SCOPE_MODES, type ScopeMode } from '@implant-trace/recall-matching-domain';

/** Which header names the list's columns; at least one of `lot`, `serial`, `udi`. */
export class ScopeQueryDto {
  @IsOptional()
  @IsString()
  @MaxLength(200)
  lot?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  serial?: string;

  @IsOptional()
  @IsString()
  @MaxLength(200)
  udi?: string;

  @IsOptional()
  @IsIn(SCOPE_MODES)
  mode?: ScopeMode;
}

/** A dry run of a list: the criteria it applies to (JSON), the list being the body. */
export class ScopeQueryRunDto extends ScopeQueryDto {
  @IsOptional()
  @IsJSON()
  criteria?: string;
}
