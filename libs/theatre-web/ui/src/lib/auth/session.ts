/** Roles of API.md that have a screen here. */
export type Role = 'theatre' | 'regulator';

export interface Session {
  token: string;
  role: Role;
  ods?: string;
  /** Epoch milliseconds. */
  expiresAt: number;
  via: 'development' | 'oidc';
}

/** What the page's server tells the page at start (GET /config). */
export interface ClientConfig {
  signIn: 'development' | 'oidc';
  oidc?: { issuer: string; clientId: string; redirectUri: string; scope: string };
  /** Strings this trust's scanners send in place of GS. */
  gsAliases: string[];
  /** How this trust's wedge scanners type; the defaults where left out. */
  wedge?: { maxInterKeyMs?: number; suffixRequired?: boolean };
  /** Hospitals offered by the development sign-in. */
  hospitals: { ods: string; name: string }[];
}

const SESSION_KEY = 'theatre-web.session';

/**
 * The session lives in localStorage so that a reload or a browser restart in theatre keeps the
 * person signed in with the queue intact; it is dropped once expired.
 */
export function loadSession(storage: Storage, now: number): Session | undefined {
  const raw = storage.getItem(SESSION_KEY);
  if (raw === null) return undefined;
  try {
    const session = JSON.parse(raw) as Session;
    if (typeof session.token !== 'string' || session.expiresAt <= now) {
      storage.removeItem(SESSION_KEY);
      return undefined;
    }
    return session;
  } catch {
    storage.removeItem(SESSION_KEY);
    return undefined;
  }
}

export function saveSession(storage: Storage, session: Session): void {
  storage.setItem(SESSION_KEY, JSON.stringify(session));
}

export function clearSession(storage: Storage): void {
  storage.removeItem(SESSION_KEY);
}
