import { IsISO8601 } from 'class-validator';

import { RecallDetailsValue } from './recall-details.value';

/** `recall.updated.v1`: criteria widened or narrowed, or text and deadlines edited. */
export class RecallUpdatedV1 extends RecallDetailsValue {
  @IsISO8601({ strict: true })
  updatedAt!: string;
}
