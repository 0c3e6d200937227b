import { useState } from 'react';

export interface ProcedureImplant {
  implantId: string;
  description: string;
  verdict?: string;
  status: 'implanted' | 'explanted' | 'entered-in-error';
  flagged: boolean;
}

export interface ProcedureListProps {
  implants: ProcedureImplant[];
  onExplant(implantId: string, reason: string): Promise<void>;
  onEnteredInError(implantId: string, reason: string): Promise<void>;
}

type Action = { implantId: string; kind: 'explant' | 'entered-in-error' };

/** The implants recorded for this patient, with explant and entered-in-error (never deleted). */
export function ProcedureList({ implants, onExplant, onEnteredInError }: ProcedureListProps) {
  const [action, setAction] = useState<Action | undefined>();
  const [reason, setReason] = useState('');
  const [problem, setProblem] = useState<string | undefined>();
  return (
    <section className="panel" aria-labelledby="procedure-heading">
      <h2 id="procedure-heading">Implants in this procedure</h2>
      {implants.length === 0 ? (
        <p>None recorded yet.</p>
      ) : (
        <ul className="implants" data-testid="implant-list">
          {implants.map((implant) => (
            <li key={implant.implantId} className="implants__item">
              <span>{implant.description}</span> <span className="tag">{implant.status}</span>
              {implant.verdict !== undefined && <span className="tag">{implant.verdict}</span>}
              {implant.flagged && <span className="tag tag--flag">flagged for review</span>}
              {implant.status === 'implanted' && (
                <>
                  <button
                    type="button"
                    className="button button--small"
                    onClick={() => setAction({ implantId: implant.implantId, kind: 'explant' })}
                  >
                    Explant
                  </button>
                  <button
                    type="button"
                    className="button button--small button--secondary"
                    onClick={() =>
                      setAction({ implantId: implant.implantId, kind: 'entered-in-error' })
                    }
                  >
                    Entered in error
                  </button>
                </>
              )}
            </li>
          ))}
        </ul>
      )}
      {action !== undefined && (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const run = action.kind === 'explant' ? onExplant : onEnteredInError;
            run(action.implantId, reason).then(
              () => {
                setAction(undefined);
                setReason('');
                setProblem(undefined);
              },
              (error: unknown) =>
                setProblem(error instanceof Error ? error.message : String(error)),
            );
          }}
        >
          <div className="field">
            <label htmlFor="implant-action-reason">
              {action.kind === 'explant' ? 'Reason for explant' : 'Why was it entered in error?'}
            </label>
            <input
              id="implant-action-reason"
              className="input"
              value={reason}
              required={action.kind === 'entered-in-error'}
              onChange={(event) => setReason(event.target.value)}
            />
          </div>
          {problem !== undefined && (
            <p className="hint hint--error" role="alert">
              {problem}
            </p>
          )}
          <button type="submit" className="button">
            {action.kind === 'explant' ? 'Record explant' : 'Mark entered in error'}
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setAction(undefined)}
          >
            Cancel
          </button>
        </form>
      )}
    </section>
  );
}
