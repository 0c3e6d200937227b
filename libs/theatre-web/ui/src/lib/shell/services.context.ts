import { createContext, useContext } from 'react';

import type { OfflineQueue } from '@implant-trace/theatre-web-domain';

import type { ApiClient } from '../api/api-client';
import type { ClientConfig, Session } from '../auth/session';
import type { SoundPlayer } from '../sound/verdict-sound';

/** What the screens need from outside React: injected, so component tests pass stubs. */
export interface TheatreWebServices {
  api: ApiClient;
  queue: OfflineQueue;
  sound: SoundPlayer;
  config: ClientConfig;
  session: Session;
  /** Reads barcodes from the camera; absent where the page has no camera reader. */
  cameraReader?: CameraReader;
}

/** Turns one video frame into the barcode texts found in it, as a scanner would send them. */
export type CameraReader = (frame: ImageData) => Promise<string[]>;

export const ServicesContext = createContext<TheatreWebServices | undefined>(undefined);

export function useServices(): TheatreWebServices {
  const services = useContext(ServicesContext);
  if (services === undefined) throw new Error('useServices outside ServicesContext');
  return services;
}
