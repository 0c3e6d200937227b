export {
  RECALL_MATCHING_ENTITIES,
  RECALL_MATCHING_MIGRATIONS,
  RecallMatchingModule,
} from './lib/recall-matching.module';
export { type RecallMatchingOptions } from './lib/recall-matching.options';
