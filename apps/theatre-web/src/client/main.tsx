import { StrictMode, useEffect, useMemo, useState } from 'react';
import { createRoot } from 'react-dom/client';

import { OfflineQueue } from '@implant-trace/theatre-web-domain';
import type { ClientConfig, Session, TheatreWebServices } from '@implant-trace/theatre-web-ui';
import {
  ApiClient,
  clearSession,
  completeOidcSignIn,
  DevSignIn,
  IndexedDbQueueStore,
  isOidcCallback,
  loadSession,
  saveSession,
  SignedInApp,
  SignInScreen,
  startOidcSignIn,
  WebAudioSoundPlayer,
} from '@implant-trace/theatre-web-ui';

import { zxingCameraReader } from './camera-reader';

const devSignIn = __DEV_SIGN_IN__ ? DevSignIn : undefined;
const clock = { now: () => new Date() };
const newKey = () => crypto.randomUUID();
const sound = new WebAudioSoundPlayer();

function Root({ config, store }: { config: ClientConfig; store: IndexedDbQueueStore }) {
  const [session, setSession] = useState<Session | undefined>(() =>
    loadSession(localStorage, Date.now()),
  );
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    const url = new URL(window.location.href);
    if (config.oidc === undefined || !isOidcCallback(url)) return;
    completeOidcSignIn(config.oidc, url, sessionStorage, Date.now()).then(
      (signedIn) => {
        saveSession(localStorage, signedIn);
        window.history.replaceState(null, '', '/');
        setSession(signedIn);
      },
      (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
    );
  }, [config]);

  const services = useMemo<TheatreWebServices | undefined>(() => {
    if (session === undefined) return undefined;
    const api = new ApiClient(() => session.token);
    return {
      api,
      // Every try of an entry carries its own id as the Idempotency-Key.
      queue: new OfflineQueue(
        store,
        (entry) => api.send(entry.path, { body: entry.body, idempotencyKey: entry.id }),
        clock,
        newKey,
      ),
      sound,
      config,
      session,
      cameraReader: zxingCameraReader,
    };
  }, [config, session, store]);

  if (services === undefined) {
    return (
      <SignInScreen
        config={config}
        devSignIn={devSignIn}
        problem={problem}
        onSession={(signedIn) => {
          saveSession(localStorage, signedIn);
          setSession(signedIn);
        }}
        onOidcSignIn={() => {
          if (config.oidc === undefined) return;
          startOidcSignIn(config.oidc, sessionStorage).then(
            (url) => window.location.assign(url),
            (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
          );
        }}
      />
    );
  }
  return (
    <SignedInApp
      services={services}
      newIdempotencyKey={newKey}
      onSignOut={() => {
        clearSession(localStorage);
        setSession(undefined);
      }}
    />
  );
}

async function start(): Promise<void> {
  const [config, store] = await Promise.all([
    fetch('/config').then((response) => response.json() as Promise<ClientConfig>),
    IndexedDbQueueStore.open(),
  ]);
  const element = document.getElementById('root');
  if (element === null) throw new Error('no #root element');
  createRoot(element).render(
    <StrictMode>
      <Root config={config} store={store} />
    </StrictMode>,
  );
}

void start();
