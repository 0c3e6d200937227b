import type { ComponentType } from 'react';
import { useEffect, useState } from 'react';

import type { DevSignInProps } from '../auth/dev-sign-in';
import type { ClientConfig, Session } from '../auth/session';
import { RecallBuilderScreen } from '../regulator/recall-builder-screen';
import { DevicesScreen } from '../regulator/devices-screen';
import { RecallProgressScreen } from '../regulator/recall-progress-screen';
import { ReviewQueuePage } from '../theatre/review-queue-page';
import { ScanPage } from '../theatre/scan-page';
import type { TheatreWebServices } from './services.context';
import { ServicesContext } from './services.context';

export type Screen = 'scan' | 'review' | 'devices' | 'recall' | 'progress';

const SCREENS: Record<Session['role'], { screen: Screen; label: string }[]> = {
  theatre: [
    { screen: 'scan', label: 'Scan and record' },
    { screen: 'review', label: 'Review queue' },
  ],
  regulator: [
    { screen: 'devices', label: 'Devices' },
    { screen: 'recall', label: 'New recall' },
    { screen: 'progress', label: 'Recall progress' },
  ],
};

function screenFromHash(role: Session['role']): Screen {
  const wanted = window.location.hash.replace(/^#\/?/, '').split('/')[0];
  const allowed = SCREENS[role];
  return (
    allowed.find(({ screen }) => screen === wanted)?.screen ??
    (allowed[0] as { screen: Screen }).screen
  );
}

export interface SignedInAppProps {
  services: TheatreWebServices;
  onSignOut(): void;
  newIdempotencyKey(): string;
}

/** The page once signed in: the screens of the person's role, reachable by keyboard. */
export function SignedInApp({ services, onSignOut, newIdempotencyKey }: SignedInAppProps) {
  const { session } = services;
  const [screen, setScreen] = useState<Screen>(() => screenFromHash(session.role));
  const [recallId, setRecallId] = useState<string | undefined>(
    () => window.location.hash.split('/')[1],
  );
  useEffect(() => {
    const onHash = () => setScreen(screenFromHash(session.role));
    window.addEventListener('hashchange', onHash);
    return () => window.removeEventListener('hashchange', onHash);
  }, [session.role]);
  const go = (next: Screen, id?: string) => {
    window.location.hash = `/${next}${id === undefined ? '' : `/${id}`}`;
    setScreen(next);
  };

  return (
    <ServicesContext.Provider value={services}>
      <header className="header">
        <p className="header__brand">implant-trace</p>
        <nav aria-label="Screens">
          <ul className="nav">
            {SCREENS[session.role].map((item) => (
              <li key={item.screen}>
                <a
                  href={`#/${item.screen}`}
                  className="nav__link"
                  aria-current={item.screen === screen ? 'page' : undefined}
                  onClick={(event) => {
                    event.preventDefault();
                    go(item.screen);
                  }}
                >
                  {item.label}
                </a>
              </li>
            ))}
          </ul>
        </nav>
        <p className="header__who">
          {session.role === 'theatre' ? `Theatre, ${session.ods ?? ''}` : 'Regulator'}
          {session.via === 'development' ? ' (development sign-in)' : ''}
        </p>
        <button
          type="button"
          className="button button--small button--secondary"
          onClick={onSignOut}
        >
          Sign out
        </button>
      </header>
      {screen === 'scan' && <ScanPage />}
      {screen === 'review' && <ReviewQueuePage />}
      {screen === 'devices' && <DevicesScreen />}
      {screen === 'recall' && (
        <RecallBuilderScreen
          newIdempotencyKey={newIdempotencyKey}
          onIssued={(id) => {
            setRecallId(id);
          }}
        />
      )}
      {screen === 'progress' && (
        <RecallProgressScreen
          selected={recallId}
          onSelect={(id) => {
            setRecallId(id);
            go('progress', id);
          }}
        />
      )}
    </ServicesContext.Provider>
  );
}

export interface SignInScreenProps {
  config: ClientConfig;
  devSignIn: ComponentType<DevSignInProps> | undefined;
  onSession(session: Session): void;
  onOidcSignIn(): void;
  problem: string | undefined;
}

export function SignInScreen({
  config,
  devSignIn: DevSignIn,
  onSession,
  onOidcSignIn,
  problem,
}: SignInScreenProps) {
  return (
    <main className="page page--narrow">
      {problem !== undefined && (
        <p role="alert" className="hint hint--error">
          {problem}
        </p>
      )}
      {config.signIn === 'development' && DevSignIn !== undefined ? (
        <DevSignIn config={config} onSession={onSession} />
      ) : (
        <section className="panel sign-in">
          <h1>Sign in</h1>
          <p>Sign in with your NHS smartcard or account.</p>
          <button type="button" className="button button--large" onClick={onOidcSignIn}>
            Sign in with NHS Care Identity
          </button>
        </section>
      )}
    </main>
  );
}
