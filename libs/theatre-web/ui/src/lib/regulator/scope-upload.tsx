import { useState } from 'react';

import type { CriteriaBody, ScopeColumnsForm } from '@implant-trace/theatre-web-domain';
import { EMPTY_SCOPE_COLUMNS, scopeQuery } from '@implant-trace/theatre-web-domain';

import { ApiProblem } from '../api/api-client';
import type { ScopeReport } from '../api/api.types';
import { useServices } from '../shell/services.context';

const COLUMNS: [keyof Omit<ScopeColumnsForm, 'mode'>, string][] = [
  ['lot', 'Column holding lot numbers'],
  ['serial', 'Column holding serial numbers'],
  ['udi', 'Column holding UDIs (barcode text)'],
];

export interface ScopeUploadProps {
  /** The scope endpoint (a recall's, or the dry run's), without its query. */
  path: string;
  /** The dry run's criteria, widened or replaced by the list; absent for an issued recall. */
  criteria?: unknown;
  /** The answer; a dry run's carries the criteria with the list applied. */
  onAnswer?(answer: { scope: ScopeReport; criteria?: CriteriaBody }): void;
}

function reportText(scope: ScopeReport): string {
  const { lotNumbers, serialNumbers, deviceIdentifiers } = scope.accepted;
  return `${scope.rows} rows read: ${lotNumbers} lots, ${serialNumbers} serials, ${deviceIdentifiers} device identifiers taken; ${scope.rejected.length} unreadable.`;
}

/** The manufacturer's list of affected units (CSV), read by the columns the regulator names. */
export function ScopeUpload({ path, criteria, onAnswer }: ScopeUploadProps) {
  const { api } = useServices();
  const [columns, setColumns] = useState<ScopeColumnsForm>(EMPTY_SCOPE_COLUMNS);
  const [report, setReport] = useState<ScopeReport | undefined>();
  const [problem, setProblem] = useState<string | undefined>();
  const reading = scopeQuery(columns, criteria);

  const upload = async (file: File) => {
    if (!reading.ok) return;
    setProblem(undefined);
    setReport(undefined);
    try {
      const answer = await api.call<{ scope: ScopeReport; criteria?: CriteriaBody }>(
        `${path}${reading.query}`,
        {
          method: 'POST',
          rawBody: file,
          contentType: 'text/csv',
        },
      );
      setReport(answer.scope);
      onAnswer?.(answer);
    } catch (error) {
      setProblem(
        error instanceof ApiProblem && error.fieldErrors.length > 0
          ? error.fieldErrors.map((field) => `${field.field}: ${field.message}`).join('; ')
          : error instanceof Error
            ? error.message
            : String(error),
      );
    }
  };

  return (
    <fieldset className="panel" data-testid="scope-upload">
      <legend>Manufacturer's list of affected units</legend>
      {COLUMNS.map(([key, label]) => (
        <div className="field" key={key}>
          <label htmlFor={`scope-${key}`}>{label}</label>
          <input
            id={`scope-${key}`}
            className="input"
            value={columns[key]}
            onChange={(event) => setColumns({ ...columns, [key]: event.target.value })}
          />
        </div>
      ))}
      <fieldset>
        <legend>The list</legend>
        <label className="checkbox">
          <input
            type="radio"
            name="scope-mode"
            checked={columns.mode === 'widen'}
            onChange={() => setColumns({ ...columns, mode: 'widen' })}
          />
          widens the criteria (adds its units)
        </label>
        <label className="checkbox">
          <input
            type="radio"
            name="scope-mode"
            checked={columns.mode === 'set'}
            onChange={() => setColumns({ ...columns, mode: 'set' })}
          />
          replaces the criteria's lots, serials or identifiers with those it lists
        </label>
      </fieldset>
      <div className="field">
        <label htmlFor="scope-file">List of affected units (CSV with a header row)</label>
        <input
          id="scope-file"
          type="file"
          accept=".csv,text/csv"
          disabled={!reading.ok}
          aria-describedby="scope-file-hint"
          onChange={(event) => {
            const file = event.target.files?.[0];
            if (file !== undefined) void upload(file);
          }}
        />
        <p id="scope-file-hint" className="hint">
          {reading.ok ? 'Choose the file to read it.' : reading.message}
        </p>
      </div>
      <div aria-live="polite">
        {problem !== undefined && <p className="hint hint--error">{problem}</p>}
        {report !== undefined && (
          <>
            <p data-testid="scope-report">{reportText(report)}</p>
            {report.rejected.length > 0 && (
              <table className="table">
                <caption>Unreadable rows (left out)</caption>
                <thead>
                  <tr>
                    <th scope="col">Line</th>
                    <th scope="col">Why</th>
                  </tr>
                </thead>
                <tbody>
                  {report.rejected.map((row) => (
                    <tr key={row.line}>
                      <td>{row.line}</td>
                      <td>{row.reason}</td>
                    </tr>
                  ))}
                </tbody>
              </table>
            )}
          </>
        )}
      </div>
    </fieldset>
  );
}
