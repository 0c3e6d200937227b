export {
  RECALL_MATCHING_ENTITIES,
  RECALL_MATCHING_MIGRATIONS,
  RecallMatchingModule,
} from './lib/recall-matching.module';
export { type RecallMatchingOptions } from './lib/recall-matching.options';
/** The SQL a recall and a dry run run, for the benchmark's floor on the same tables. */
export {
  candidateDevicesQuery,
  matchCountsQuery,
  matchingImplantsQuery,
  type SqlQuery,
} from './lib/matching/criteria-sql.util';
