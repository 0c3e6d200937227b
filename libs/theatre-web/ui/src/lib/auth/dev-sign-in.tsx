import { useState } from 'react';

import type { ClientConfig, Role, Session } from './session';

export interface DevSignInProps {
  config: ClientConfig;
  onSession(session: Session): void;
}

/**
 * Development only: pick a role and a hospital and the page's development server mints a token
 * signed like the services expect. Production builds leave this component out entirely, and the
 * production server has no token endpoint.
 */
export function DevSignIn({ config, onSession }: DevSignInProps) {
  const [role, setRole] = useState<Role>('theatre');
  const [ods, setOds] = useState(config.hospitals[0]?.ods ?? '');
  const [problem, setProblem] = useState<string | undefined>();

  const signIn = async () => {
    const response = await fetch('/dev/token', {
      method: 'POST',
      headers: { 'content-type': 'application/json' },
      body: JSON.stringify(role === 'theatre' ? { role, ods } : { role }),
    });
    if (!response.ok) {
      setProblem(`The development token was refused (${response.status})`);
      return;
    }
    const { token, expiresAt } = (await response.json()) as { token: string; expiresAt: number };
    onSession({
      token,
      role,
      ...(role === 'theatre' ? { ods } : {}),
      expiresAt,
      via: 'development',
    });
  };

  return (
    <form
      className="panel sign-in"
      onSubmit={(event) => {
        event.preventDefault();
        void signIn();
      }}
    >
      <h1>Sign in (development)</h1>
      <fieldset>
        <legend>Role</legend>
        <label className="checkbox">
          <input
            type="radio"
            name="role"
            checked={role === 'theatre'}
            onChange={() => setRole('theatre')}
          />
          Theatre staff
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name="role"
            checked={role === 'regulator'}
            onChange={() => setRole('regulator')}
          />
          Regulator
        </label>
      </fieldset>
      {role === 'theatre' && (
        <div className="field">
          <label htmlFor="sign-in-hospital">Hospital</label>
          <select
            id="sign-in-hospital"
            className="input"
            value={ods}
            onChange={(event) => setOds(event.target.value)}
          >
            {config.hospitals.map((hospital) => (
              <option key={hospital.ods} value={hospital.ods}>
                {hospital.name} ({hospital.ods})
              </option>
            ))}
          </select>
        </div>
      )}
      <button type="submit" className="button button--large">
        Sign in
      </button>
      {problem !== undefined && (
        <p role="alert" className="hint hint--error">
          {problem}
        </p>
      )}
    </form>
  );
}
