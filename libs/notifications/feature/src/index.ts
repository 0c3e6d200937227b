export {
  NOTIFICATIONS_ENTITIES,
  NOTIFICATIONS_MIGRATIONS,
  NotificationsModule,
} from './lib/notifications.module';
export { type NotificationsOptions } from './lib/notifications.options';
