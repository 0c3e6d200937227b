import { DeviceRegisteredV1 } from './events/devices/device-registered.v1';
import { DeviceUpdatedV1 } from './events/devices/device-updated.v1';
import { RecallAcknowledgedV1 } from './events/acknowledgements/recall-acknowledged.v1';
import { ImplantEnteredInErrorV1 } from './events/implants/implant-entered-in-error.v1';
import { ImplantExplantedV1 } from './events/implants/implant-explanted.v1';
import { ImplantRecordedV1 } from './events/implants/implant-recorded.v1';
import { RecallFollowUpRecordedV1 } from './events/matches/recall-follow-up-recorded.v1';
import { RecallMatchFoundV1 } from './events/matches/recall-match-found.v1';
import { RecallMatchWithdrawnV1 } from './events/matches/recall-match-withdrawn.v1';
import { RecallClosedV1 } from './events/recalls/recall-closed.v1';
import { RecallIssuedV1 } from './events/recalls/recall-issued.v1';
import { RecallUpdatedV1 } from './events/recalls/recall-updated.v1';
import type { TopicDefinition } from './topics';
import {
  ACKNOWLEDGEMENTS_TOPIC,
  DEVICES_TOPIC,
  IMPLANTS_TOPIC,
  MATCHES_TOPIC,
  RECALLS_TOPIC,
} from './topics';

export interface EventDefinition<P extends object = object> {
  /** `ce_type`, e.g. `implant.recorded.v1`. */
  type: string;
  name: string;
  version: number;
  payload: new () => P;
  topic: TopicDefinition;
  /** The payload field whose value is the Kafka key and the CloudEvents subject. */
  keyField: keyof P & string;
}

function event<P extends object>(
  name: string,
  version: number,
  payload: new () => P,
  topic: TopicDefinition,
  keyField: keyof P & string,
): EventDefinition<P> {
  return { type: `${name}.v${version}`, name, version, payload, topic, keyField };
}

export const EVENTS = {
  deviceRegisteredV1: event('device.registered', 1, DeviceRegisteredV1, DEVICES_TOPIC, 'deviceId'),
  deviceUpdatedV1: event('device.updated', 1, DeviceUpdatedV1, DEVICES_TOPIC, 'deviceId'),
  implantRecordedV1: event('implant.recorded', 1, ImplantRecordedV1, IMPLANTS_TOPIC, 'implantId'),
  implantExplantedV1: event(
    'implant.explanted',
    1,
    ImplantExplantedV1,
    IMPLANTS_TOPIC,
    'implantId',
  ),
  implantEnteredInErrorV1: event(
    'implant.entered-in-error',
    1,
    ImplantEnteredInErrorV1,
    IMPLANTS_TOPIC,
    'implantId',
  ),
  recallIssuedV1: event('recall.issued', 1, RecallIssuedV1, RECALLS_TOPIC, 'recallId'),
  recallUpdatedV1: event('recall.updated', 1, RecallUpdatedV1, RECALLS_TOPIC, 'recallId'),
  recallClosedV1: event('recall.closed', 1, RecallClosedV1, RECALLS_TOPIC, 'recallId'),
  recallMatchFoundV1: event(
    'recall.match.found',
    1,
    RecallMatchFoundV1,
    MATCHES_TOPIC,
    'hospitalOds',
  ),
  recallMatchWithdrawnV1: event(
    'recall.match.withdrawn',
    1,
    RecallMatchWithdrawnV1,
    MATCHES_TOPIC,
    'hospitalOds',
  ),
  recallFollowUpRecordedV1: event(
    'recall.follow-up.recorded',
    1,
    RecallFollowUpRecordedV1,
    MATCHES_TOPIC,
    'hospitalOds',
  ),
  recallAcknowledgedV1: event(
    'recall.acknowledged',
    1,
    RecallAcknowledgedV1,
    ACKNOWLEDGEMENTS_TOPIC,
    'recallId',
  ),
} as const;

export const EVENT_DEFINITIONS: readonly EventDefinition[] = Object.values(
  EVENTS,
) as EventDefinition[];

const byType = new Map(EVENT_DEFINITIONS.map((definition) => [definition.type, definition]));

export function eventDefinitionOf(type: string): EventDefinition | undefined {
  return byType.get(type);
}

export function eventTypesOnTopic(topic: string): string[] {
  return EVENT_DEFINITIONS.filter((d) => d.topic.name === topic).map((d) => d.type);
}
