import { useEffect, useMemo, useRef, useState } from 'react';

import type { CriteriaForm } from '@implant-trace/theatre-web-domain';
import {
  criteriaFromForm,
  EMPTY_CRITERIA_FORM,
  formFromCriteria,
} from '@implant-trace/theatre-web-domain';

import { ApiProblem, servicePath } from '../api/api-client';
import type { DryRun, Recall } from '../api/api.types';
import { useServices } from '../shell/services.context';
import { ProjectionNotice, provisional } from './projection-notice';
import { ScopeUpload } from './scope-upload';

const DRY_RUN_DELAY_MS = 400;
/** A provisional count is asked for again until it is complete: it must not stay on screen. */
const PROVISIONAL_RETRY_MS = 5_000;

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
    actionsUnderwayBy: '',
    actionsCompleteBy: '',
  });
  const [issueProblem, setIssueProblem] = useState<string | undefined>();
  const [issued, setIssued] = useState<Recall | undefined>();
  // One key per recall being written, so a retried "Issue" never issues it twice.
  const issueKey = useRef(newIdempotencyKey());
  const reading = useMemo(() => criteriaFromForm(form), [form]);
  const [asked, setAsked] = useState(0);

  useEffect(() => {
    if (!reading.ok) {
      setDryRun(undefined);
      return;
    }
    let cancelled = false;
    let retry: ReturnType<typeof setTimeout> | undefined;
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
            if (!result.projection.caughtUp) {
              retry = setTimeout(() => setAsked((n) => n + 1), PROVISIONAL_RETRY_MS);
            }
          },
          (error: unknown) =>
            !cancelled && setDryRunProblem(error instanceof Error ? error.message : String(error)),
        );
    }, DRY_RUN_DELAY_MS);
    return () => {
      cancelled = true;
      clearTimeout(timer);
      clearTimeout(retry);
    };
  }, [api, reading, asked]);

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
          ...(details.actionsUnderwayBy === ''
            ? {}
            : { actionsUnderwayBy: details.actionsUnderwayBy }),
          ...(details.actionsCompleteBy === ''
            ? {}
            : { actionsCompleteBy: details.actionsCompleteBy }),
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
                <ProjectionNotice projection={dryRun.projection} />
                <p className="count">
                  {provisional(dryRun.projection)}
                  {dryRun.matched.implants} implants in {dryRun.matched.patients} patients matched;{' '}
                  {provisional(dryRun.projection)}
                  {dryRun.possible.implants} possible ({dryRun.possible.patients} patients)
                </p>
                <table className="table">
                  <caption>
                    By hospital{dryRun.projection.caughtUp ? '' : ' (provisional, may be short)'}
                  </caption>
                  <thead>
                    <tr>
                      <th scope="col">Hospital (ODS)</th>
                      <th scope="col">Matched implants</th>
                      <th scope="col">Possible implants</th>
                    </tr>
                  </thead>
                  <tbody>
                    {dryRun.byHospital.map((row) => (
                      <tr key={row.ods}>
                        <td>{row.ods}</td>
                        <td>{row.matched.implants}</td>
                        <td>{row.possible.implants}</td>
                      </tr>
                    ))}
                  </tbody>
                </table>
              </>
            )}
          </div>
          {issued === undefined && reading.ok && (
            <ScopeUpload
              path={servicePath('recall-matching', '/v1/recall-queries/scope')}
              criteria={reading.criteria}
              onAnswer={({ criteria }) => {
                // The list's criteria go into the form: what is issued is what was counted.
                if (criteria !== undefined) setForm(formFromCriteria(criteria));
              }}
            />
          )}
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
            {(
              [
                ['actionsUnderwayBy', 'Actions underway by'],
                ['actionsCompleteBy', 'Actions complete by'],
              ] as const
            ).map(([field, label]) => (
              <div className="field field--inline" key={field}>
                <label htmlFor={`recall-${field}`}>{label}</label>
                <input
                  id={`recall-${field}`}
                  type="date"
                  className="input"
                  value={details[field]}
                  onChange={(event) => setDetails({ ...details, [field]: event.target.value })}
                />
              </div>
            ))}
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
            <>
              <p role="status">
                Recall issued: {issued.title} ({issued.recallId})
              </p>
              <ScopeUpload
                path={servicePath('recall-matching', `/v1/recalls/${issued.recallId}/scope`)}
              />
            </>
          )}
        </section>
      </div>
    </main>
  );
}
