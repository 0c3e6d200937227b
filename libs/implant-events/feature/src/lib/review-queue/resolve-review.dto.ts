import { IsNotEmpty, IsString, MaxLength } from 'class-validator';

export class ResolveReviewDto {
  @IsString()
  @IsNotEmpty()
  @MaxLength(2000)
  note!: string;
}
