import { DeviceRegistryConfig } from './device-registry.config';
import { ImplantEventsConfig } from './implant-events.config';
import { NotificationsConfig } from './notifications.config';
import { RecallMatchingConfig } from './recall-matching.config';

export { DeviceRegistryConfig, ImplantEventsConfig, NotificationsConfig, RecallMatchingConfig };
export { NHS_NUMBER_POLICIES, type NhsNumberPolicy } from './implant-events.config';

/** Every service's config class, in port order; the source of `.env.example`. */
export const SERVICE_CONFIG_CLASSES = [
  DeviceRegistryConfig,
  ImplantEventsConfig,
  RecallMatchingConfig,
  NotificationsConfig,
] as const;
