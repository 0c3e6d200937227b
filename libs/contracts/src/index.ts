// class-transformer's @Type reads design-time type metadata.
import 'reflect-metadata';

export * from './lib/event-catalogue';
export type { EventEnvelope } from './lib/event-envelope';
export * from './lib/event-validation';
export * from './lib/json-schema.util';
export * from './lib/topics';
export * from './lib/shared/field-limits';
export * from './lib/shared/recall-criteria.value';
export * from './lib/shared/udi.value';
export { NestedArray, OptionalNested, RequiredNested } from './lib/shared/validation.util';
export * from './lib/events/devices/device-record.value';
export * from './lib/events/devices/device-registered.v1';
export * from './lib/events/devices/device-updated.v1';
export * from './lib/events/implants/implant-recorded.v1';
export * from './lib/events/implants/implant-explanted.v1';
export * from './lib/events/implants/implant-entered-in-error.v1';
export * from './lib/events/recalls/recall-details.value';
export * from './lib/events/recalls/recall-issued.v1';
export * from './lib/events/recalls/recall-updated.v1';
export * from './lib/events/recalls/recall-closed.v1';
export * from './lib/events/matches/recall-match-found.v1';
export * from './lib/events/matches/recall-match-withdrawn.v1';
export * from './lib/events/matches/recall-follow-up-recorded.v1';
export * from './lib/events/acknowledgements/recall-acknowledged.v1';
