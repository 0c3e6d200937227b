import { EVENTS } from '@implant-trace/contracts';

/** What a subscription may ask for, by the names API.md gives them (no version suffix). */
export const DELIVERED_EVENTS = [
  EVENTS.recallIssuedV1,
  EVENTS.recallUpdatedV1,
  EVENTS.recallClosedV1,
  EVENTS.recallMatchFoundV1,
  EVENTS.recallMatchWithdrawnV1,
  EVENTS.implantRecordedV1,
  EVENTS.implantExplantedV1,
  EVENTS.implantEnteredInErrorV1,
] as const;

export const DELIVERED_EVENT_TYPES: readonly string[] = DELIVERED_EVENTS.map((d) => d.name);
