import { useEffect, useMemo, useRef, useState } from 'react';

import type { CriteriaForm } from '@implant-trace/theatre-web-domain';
import { criteriaFromForm, EMPTY_CRITERIA_FORM } from '@implant-trace/theatre-web-domain';

import { ApiProblem, servicePath } from '../api/api-client';
import type { DryRun, Recall } from '../api/api.types';
import { useServices } from '../shell/services.context';

const DRY_RUN_DELAY_MS = 400;

export interface RecallBuilderScreenProps {
  onIssued(recallId: string): void;
  newIdempotencyKey(): string;
}

const LIST_FIELDS: [keyof CriteriaForm, string][] = [
  ['deviceIdentifiers', 'Device identifiers (one per line)'],
  ['catalogNumbers', 'Catalogue numbers'],
  ['manufacturer', 'Manufacturer'],
  ['models', 'Models'],
  ['lotNumbers', 'Lot numbers'],
  ['serialNumbers', 'Serial numbers'],
  ['serialRanges', 'Serial ranges (from-to, one per line)'],
];
const DATE_FIELDS: [keyof CriteriaForm, string][] = [
  ['manufacturedFrom', 'Manufactured from'],
  ['manufacturedTo', 'Manufactured to'],
  ['expiresFrom', 'Expires from'],
  ['expiresTo', 'Expires to'],
];

/**
 * Criteria with a live dry run (counts by hospital, nothing stored or sent), then the recall
 * itself, and the manufacturer's list of affected units. Counts only: no patient identifier.
 */
export function RecallBuilderScreen({ onIssued, newIdempotencyKey }: RecallBuilderScreenProps) {
  const { api } = useServices();
  const [form, setForm] = useState<CriteriaForm>(EMPTY_CRITERIA_FORM);
  const [dryRun, setDryRun] = useState<DryRun | undefined>();
  const [dryRunProblem, setDryRunProblem] = useState<string | undefined>();
  const [details, setDetails] = useState({
    title: '',
    reason: '',
    class: 'II' as Recall['class'],
    fsnReference: '',
  });
  const [issueProblem, setIssueProblem] = useState<string | undefined>();
  const [issued, setIssued] = useState<Recall | undefined>();
  const [scopeColumn, setScopeColumn] = useState<'lot' | 'serial' | 'udi'>('serial');
  const [scopeResult, setScopeResult] = useState<string | undefined>();
  // One key per recall being written, so a retried "Issue" never issues it twice.
  const issueKey = useRef(newIdempotencyKey());
  const reading = useMemo(() => criteriaFromForm(form), [form]);

  useEffect(() => {
    if (!reading.ok) {
      setDryRun(undefined);
      return;
    }
    let cancelled = false;
    const timer = setTimeout(() => {
      api
        .call<DryRun>(servicePath('recall-matching', '/v1/recall-queries'), {
          body: { criteria: reading.criteria },
        })
        .then(
          (result) => {
            if (cancelled) return;
            setDryRun(result);
            setDryRunProblem(undefined);
          },
          (error: unknown) =>
            !cancelled && setDryRunProblem(error instanceof Error ? error.message : String(error)),
        );
    }, DRY_RUN_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
    };
  }, [api, reading]);

  const issue = async () => {
    if (!reading.ok) return;
    setIssueProblem(undefined);
    try {
      const recall = await api.call<Recall>(servicePath('recall-matching', '/v1/recalls'), {
        body: {
          title: details.title,
          reason: details.reason,
          class: details.class,
          ...(details.fsnReference === '' ? {} : { fsnReference: details.fsnReference }),
          criteria: reading.criteria,
        },
        idempotencyKey: issueKey.current,
      });
      setIssued(recall);
      issueKey.current = newIdempotencyKey();
      onIssued(recall.recallId);
    } catch (error) {
      setIssueProblem(
        error instanceof ApiProblem && error.fieldErrors.length > 0
          ? error.fieldErrors.map((problem) => `${problem.field}: ${problem.message}`).join('; ')
          : error instanceof Error
            ? error.message
            : String(error),
      );
    }
  };

  const uploadScope = async (file: File) => {
    if (issued === undefined) return;
    try {
      const result = await api.call<{ rejected?: { line: number; reason: string }[] }>(
        servicePath(
          'recall-matching',
          `/v1/recalls/${issued.recallId}/scope?column=${scopeColumn}`,
        ),
        { method: 'POST', rawBody: file, contentType: 'text/csv' },
      );
      const rejected = result.rejected ?? [];
      setScopeResult(
        rejected.length === 0
          ? 'The list was applied.'
          : `Applied; unreadable rows: ${rejected.map((row) => `line ${row.line} (${row.reason})`).join(', ')}`,
      );
    } catch (error) {
      setScopeResult(error instanceof Error ? error.message : String(error));
    }
  };

  const errorFor = (field: keyof CriteriaForm) =>
    reading.ok ? undefined : reading.errors.find((error) => error.field === field)?.message;

  return (
    <main className="page">
      <h1>New recall</h1>
      <div className="columns">
        <section className="panel" aria-labelledby="criteria-heading">
          <h2 id="criteria-heading">Which devices</h2>
          {LIST_FIELDS.map(([field, label]) => (
            <div className="field" key={field}>
              <label htmlFor={`criteria-${field}`}>{label}</label>
              <textarea
                id={`criteria-${field}`}
                className="input"
                rows={field === 'manufacturer' ? 1 : 2}
                value={form[field]}
                aria-describedby={`criteria-${field}-error`}
                onChange={(event) => setForm({ ...form, [field]: event.target.value })}
              />
              <p id={`criteria-${field}-error`} className="hint hint--error">
                {form === EMPTY_CRITERIA_FORM ? '' : (errorFor(field) ?? '')}
              </p>
            </div>
          ))}
          {DATE_FIELDS.map(([field, label]) => (
            <div className="field field--inline" key={field}>
              <label htmlFor={`criteria-${field}`}>{label}</label>
              <input
                id={`criteria-${field}`}
                type="date"
                className="input"
                value={form[field]}
                onChange={(event) => setForm({ ...form, [field]: event.target.value })}
              />
            </div>
          ))}
        </section>
        <section className="panel" aria-labelledby="dry-run-heading">
          <h2 id="dry-run-heading">Reach (dry run)</h2>
          <div aria-live="polite" data-testid="dry-run">
            {dryRunProblem !== undefined && <p className="hint hint--error">{dryRunProblem}</p>}
            {dryRun === undefined ? (
              <p>Enter criteria to see how many implants they reach.</p>
            ) : (
              <>
                <p className="count">
                  {dryRun.matched.implants} implants in {dryRun.matched.patients} patients matched;{' '}
                  {dryRun.possible.implants} possible ({dryRun.possible.patients} patients)
                </p>
                <table className="table">
                  <caption>By hospital</caption>
                  <thead>
                    <tr>
                      <th scope="col">Hospital (ODS)</th>
                      <th scope="col">Matched</th>
                      <th scope="col">Possible</th>
                    </tr>
                  </thead>
                  <tbody>
                    {dryRun.byHospital.map((row) => (
                      <tr key={row.ods}>
                        <td>{row.ods}</td>
                        <td>{row.matched}</td>
                        <td>{row.possible}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </div>
          <h2>Issue</h2>
          <form
            onSubmit={(event) => {
              event.preventDefault();
              void issue();
            }}
          >
            <div className="field">
              <label htmlFor="recall-title">Title</label>
              <input
                id="recall-title"
                className="input"
                required
                value={details.title}
                onChange={(event) => setDetails({ ...details, title: event.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="recall-reason">Reason</label>
              <textarea
                id="recall-reason"
                className="input"
                required
                value={details.reason}
                onChange={(event) => setDetails({ ...details, reason: event.target.value })}
              />
            </div>
            <div className="field">
              <label htmlFor="recall-class">Class</label>
              <select
                id="recall-class"
                className="input"
                value={details.class}
                onChange={(event) =>
                  setDetails({ ...details, class: event.target.value as Recall['class'] })
                }
              >
                <option value="I">I (most serious)</option>
                <option value="II">II</option>
                <option value="III">III</option>
              </select>
            </div>
            <div className="field">
              <label htmlFor="recall-fsn">Field safety notice reference</label>
              <input
                id="recall-fsn"
                className="input"
                value={details.fsnReference}
                onChange={(event) => setDetails({ ...details, fsnReference: event.target.value })}
              />
            </div>
            <button type="submit" className="button button--large" disabled={!reading.ok}>
              Issue recall
            </button>
          </form>
          {issueProblem !== undefined && (
            <p role="alert" className="hint hint--error">
              {issueProblem}
            </p>
          )}
          {issued !== undefined && (
            <div role="status">
              <p>
                Recall issued: {issued.title} ({issued.recallId})
              </p>
              <div className="field">
                <label htmlFor="scope-column">Column of the manufacturer's list</label>
                <select
                  id="scope-column"
                  className="input"
                  value={scopeColumn}
                  onChange={(event) =>
                    setScopeColumn(event.target.value as 'lot' | 'serial' | 'udi')
                  }
                >
                  <option value="lot">lot</option>
                  <option value="serial">serial</option>
                  <option value="udi">udi</option>
                </select>
              </div>
              <div className="field">
                <label htmlFor="scope-file">Manufacturer's list of affected units (CSV)</label>
                <input
                  id="scope-file"
                  type="file"
                  accept=".csv,text/csv"
                  onChange={(event) => {
                    const file = event.target.files?.[0];
                    if (file !== undefined) void uploadScope(file);
                  }}
                />
              </div>
              {scopeResult !== undefined && <p>{scopeResult}</p>}
            </div>
          )}
        </section>
      </div>
    </main>
  );
}
