export {
  ApiClient,
  ApiProblem,
  servicePath,
  type Fetch,
  type ServiceName,
} from './lib/api/api-client';
export type * from './lib/api/api.types';
export { DevSignIn, type DevSignInProps } from './lib/auth/dev-sign-in';
export { completeOidcSignIn, isOidcCallback, startOidcSignIn } from './lib/auth/oidc-sign-in';
export {
  clearSession,
  loadSession,
  saveSession,
  type ClientConfig,
  type Role,
  type Session,
} from './lib/auth/session';
export { IndexedDbQueueStore } from './lib/offline/indexeddb-queue.store';
export { DevicesScreen } from './lib/regulator/devices-screen';
export { RecallBuilderScreen } from './lib/regulator/recall-builder-screen';
export { RecallProgressScreen } from './lib/regulator/recall-progress-screen';
export { CameraScanner } from './lib/scanner/camera-scanner';
export { useWedgeScanner } from './lib/scanner/use-wedge-scanner';
export { scanTextOfReading, type BarcodeReading } from './lib/scanner/camera-reading.util';
export { WebAudioSoundPlayer, type SoundPlayer } from './lib/sound/verdict-sound';
export { SignedInApp, SignInScreen, type Screen } from './lib/shell/app';
export {
  ServicesContext,
  type CameraReader,
  type TheatreWebServices,
} from './lib/shell/services.context';
export { ScanPage } from './lib/theatre/scan-page';
export { ReviewQueuePage } from './lib/theatre/review-queue-page';
export { VerdictOverlay } from './lib/theatre/verdict-overlay';
