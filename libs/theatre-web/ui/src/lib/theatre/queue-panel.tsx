import type { QueueEntry } from '@implant-trace/theatre-web-domain';

export interface QueuePanelProps {
  entries: QueueEntry[];
  online: boolean;
  onSendNow(): void;
  onDismiss(id: string): void;
}

const STATE_WORDS: Record<QueueEntry['state'], string> = {
  queued: 'Waiting to be sent',
  sent: 'Sent',
  rejected: 'Refused',
};

/** What waits in the browser: always on screen while anything does, so nobody thinks it is lost. */
export function QueuePanel({ entries, online, onSendNow, onDismiss }: QueuePanelProps) {
  const waiting = entries.filter((entry) => entry.state === 'queued').length;
  return (
    <section className="panel panel--queue" aria-labelledby="queue-heading">
      <h2 id="queue-heading">
        Offline queue: <span data-testid="queue-count">{waiting}</span> waiting
      </h2>
      <p role="status" className={online ? 'status status--online' : 'status status--offline'}>
        {online
          ? 'Connected'
          : 'Offline: scans and recordings are kept here and sent when the network returns'}
      </p>
      {entries.length > 0 && (
        <ul className="queue">
          {entries.map((entry) => (
            <li key={entry.id} className={`queue__entry queue__entry--${entry.state}`}>
              <span className="queue__state">{STATE_WORDS[entry.state]}</span> {entry.summary}
              {entry.problem !== undefined && (
                <span className="queue__problem"> ({entry.problem})</span>
              )}
              {entry.state !== 'queued' && (
                <button
                  type="button"
                  className="button button--small"
                  onClick={() => onDismiss(entry.id)}
                >
                  Dismiss
                </button>
              )}
            </li>
          ))}
        </ul>
      )}
      {waiting > 0 && (
        <button type="button" className="button" onClick={onSendNow}>
          Send now
        </button>
      )}
    </section>
  );
}
