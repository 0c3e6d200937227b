import { useCallback, useEffect, useState } from 'react';

import { servicePath } from '../api/api-client';
import type { Page, ReviewItem } from '../api/api.types';
import { useServices } from '../shell/services.context';

/** Recordings kept despite a doubt (unknown device, recalled, no NHS number…), to resolve with a note. */
export function ReviewQueuePage() {
  const { api } = useServices();
  const [items, setItems] = useState<ReviewItem[] | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const [notes, setNotes] = useState<Record<string, string>>({});

  const load = useCallback(() => {
    api.call<Page<ReviewItem>>(servicePath('implant-events', '/v1/review-queue')).then(
      (page) => setItems(page.items),
      (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
    );
  }, [api]);
  useEffect(load, [load]);

  const resolve = async (implantId: string) => {
    try {
      await api.call(servicePath('implant-events', `/v1/review-queue/${implantId}/resolve`), {
        body: { note: notes[implantId] ?? '' },
      });
      load();
    } catch (error) {
      setProblem(error instanceof Error ? error.message : String(error));
    }
  };

  return (
    <main className="page">
      <h1>Review queue</h1>
      {problem !== undefined && (
        <p className="hint hint--error" role="alert">
          {problem}
        </p>
      )}
      {items === undefined ? (
        <p>Loading…</p>
      ) : items.length === 0 ? (
        <p>Nothing to review.</p>
      ) : (
        <table className="table">
          <caption className="visually-hidden">Implants flagged for review</caption>
          <thead>
            <tr>
              <th scope="col">Recorded</th>
              <th scope="col">Device</th>
              <th scope="col">Verdict</th>
              <th scope="col">Why</th>
              <th scope="col">Resolve</th>
            </tr>
          </thead>
          <tbody>
            {items.map((item) => (
              <tr key={item.implantId}>
                <td>{new Date(item.recordedAt).toLocaleString('en-GB')}</td>
                <td>
                  {item.udi.deviceIdentifier}
                  {item.udi.lotNumber === undefined ? '' : ` lot ${item.udi.lotNumber}`}
                  {item.udi.serialNumber === undefined ? '' : ` serial ${item.udi.serialNumber}`}
                </td>
                <td>{item.verdict}</td>
                <td>{[...item.reviewFlags, ...item.warnings].join('; ')}</td>
                <td>
                  <label className="visually-hidden" htmlFor={`note-${item.implantId}`}>
                    Resolution note
                  </label>
                  <input
                    id={`note-${item.implantId}`}
                    className="input"
                    value={notes[item.implantId] ?? ''}
                    onChange={(event) =>
                      setNotes({ ...notes, [item.implantId]: event.target.value })
                    }
                  />
                  <button
                    type="button"
                    className="button button--small"
                    disabled={(notes[item.implantId] ?? '').trim() === ''}
                    onClick={() => void resolve(item.implantId)}
                  >
                    Resolve
                  </button>
                </td>
              </tr>
            ))}
          </tbody>
        </table>
      )}
    </main>
  );
}
