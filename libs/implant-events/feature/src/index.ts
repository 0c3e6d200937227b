export {
  IMPLANT_EVENTS_ENTITIES,
  IMPLANT_EVENTS_MIGRATIONS,
  ImplantEventsModule,
} from './lib/implant-events.module';
export {
  type ImplantEventsOptions,
  NHS_NUMBER_POLICIES,
  type NhsNumberPolicy,
} from './lib/implant-events.options';
