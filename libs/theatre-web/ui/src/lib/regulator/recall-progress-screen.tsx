import { useCallback, useEffect, useState } from 'react';

import { servicePath } from '../api/api-client';
import type { Page, Recall, RecallProgress } from '../api/api.types';
import { useServices } from '../shell/services.context';
import { ProjectionNotice, provisional } from './projection-notice';

const REFRESH_MS = 15_000;
const STAGES = [
  'not notified',
  'notified',
  'received',
  'action-underway',
  'action-complete',
  'not-applicable',
] as const;

type HospitalRow = RecallProgress['byHospital'][number];

function stageOf(row: HospitalRow): (typeof STAGES)[number] {
  if (row.acknowledgement !== undefined)
    return row.acknowledgement.stage as (typeof STAGES)[number];
  return row.notifiedAt === undefined ? 'not notified' : 'notified';
}

/** Hospitals per acknowledgement stage, as bars with their counts written on them (not colour alone). */
function StageChart({ rows }: { rows: HospitalRow[] }) {
  const counts = STAGES.map((stage) => ({
    stage,
    count: rows.filter((row) => stageOf(row) === stage).length,
  }));
  const max = Math.max(1, ...counts.map(({ count }) => count));
  const barHeight = 28;
  return (
    <svg
      className="chart"
      role="img"
      aria-labelledby="stage-chart-title"
      viewBox={`0 0 480 ${counts.length * (barHeight + 8)}`}
      width="100%"
    >
      <title id="stage-chart-title">
        Hospitals by acknowledgement stage:{' '}
        {counts.map(({ stage, count }) => `${stage} ${count}`).join(', ')}
      </title>
      {counts.map(({ stage, count }, index) => (
        <g key={stage} transform={`translate(0 ${index * (barHeight + 8)})`}>
          <text x={0} y={barHeight * 0.7} className="chart__label">
            {stage}
          </text>
          <rect
            x={170}
            y={0}
            width={(count / max) * 260}
            height={barHeight}
            className={`chart__bar chart__bar--${index}`}
          />
          <text x={175 + (count / max) * 260} y={barHeight * 0.7} className="chart__value">
            {count}
          </text>
        </g>
      ))}
    </svg>
  );
}

export interface RecallProgressScreenProps {
  selected: string | undefined;
  onSelect(recallId: string): void;
}

/** Per recall: how far it reached and how far each hospital has got. Counts only, no patients. */
export function RecallProgressScreen({ selected, onSelect }: RecallProgressScreenProps) {
  const { api } = useServices();
  const [recalls, setRecalls] = useState<Recall[]>([]);
  const [progress, setProgress] = useState<RecallProgress | undefined>();
  const [problem, setProblem] = useState<string | undefined>();

  useEffect(() => {
    api.call<Page<Recall>>(servicePath('recall-matching', '/v1/recalls')).then(
      (page) => setRecalls(page.items),
      (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
    );
  }, [api]);

  const load = useCallback(() => {
    if (selected === undefined) return;
    api
      .call<RecallProgress>(servicePath('recall-matching', `/v1/recalls/${selected}/progress`))
      .then(
        (result) => {
          setProgress(result);
          setProblem(undefined);
        },
        (error: unknown) => setProblem(error instanceof Error ? error.message : String(error)),
      );
  }, [api, selected]);

  useEffect(() => {
    load();
    const timer = setInterval(load, REFRESH_MS);
    return () => clearInterval(timer);
  }, [load]);

  return (
    <main className="page">
      <h1>Recall progress</h1>
      <div className="field">
        <label htmlFor="recall-select">Recall</label>
        <select
          id="recall-select"
          className="input"
          value={selected ?? ''}
          onChange={(event) => onSelect(event.target.value)}
        >
          <option value="">Choose a recall</option>
          {recalls.map((recall) => (
            <option key={recall.recallId} value={recall.recallId}>
              {recall.title} (class {recall.class}, {recall.status})
            </option>
          ))}
        </select>
      </div>
      {problem !== undefined && (
        <p role="alert" className="hint hint--error">
          {problem}
        </p>
      )}
      {selected !== undefined && (
        <button type="button" className="button button--secondary" onClick={load}>
          Refresh now
        </button>
      )}
      {progress !== undefined && <ProjectionNotice projection={progress.projection} />}
      {progress !== undefined && (
        <>
          <div className="columns">
            <section className="panel" aria-labelledby="reach-heading">
              <h2 id="reach-heading">Reach</h2>
              <p className="count" data-testid="progress-affected">
                {provisional(progress.projection)}
                {progress.affected.implants} implants, {progress.affected.patients} patients,{' '}
                {progress.affected.hospitals} hospitals affected; {provisional(progress.projection)}
                {progress.possible.implants} possible
              </p>
              <h3>Follow-up outcomes</h3>
              {Object.keys(progress.followUp).length === 0 ? (
                <p>No follow-up recorded yet.</p>
              ) : (
                <ul data-testid="follow-up">
                  {Object.entries(progress.followUp).map(([outcome, count]) => (
                    <li key={outcome}>
                      {outcome}: {count}
                    </li>
                  ))}
                </ul>
              )}
            </section>
            <section className="panel" aria-labelledby="stages-heading">
              <h2 id="stages-heading">Acknowledgement stages</h2>
              <StageChart rows={progress.byHospital} />
            </section>
          </div>
          <section className="panel" aria-labelledby="hospitals-heading">
            <h2 id="hospitals-heading">Hospitals</h2>
            <table className="table">
              <caption>
                Per hospital{progress.projection.caughtUp ? '' : ' (provisional, may be short)'}
              </caption>
              <thead>
                <tr>
                  <th scope="col">Hospital (ODS)</th>
                  <th scope="col">Implants</th>
                  <th scope="col">Patients</th>
                  <th scope="col">Possible</th>
                  <th scope="col">Notified</th>
                  <th scope="col">Acknowledgement</th>
                  <th scope="col">Overdue</th>
                </tr>
              </thead>
              <tbody>
                {progress.byHospital.map((row) => (
                  <tr key={row.ods} className={row.overdue ? 'row--overdue' : ''}>
                    <td>{row.ods}</td>
                    <td>{row.implants}</td>
                    <td>{row.patients}</td>
                    <td>{row.possible.implants}</td>
                    <td>
                      {row.notifiedAt === undefined
                        ? 'not yet'
                        : new Date(row.notifiedAt).toLocaleString('en-GB')}
                    </td>
                    <td>{stageOf(row)}</td>
                    <td>{row.overdue ? 'OVERDUE' : 'no'}</td>
                  </tr>
                ))}
              </tbody>
            </table>
          </section>
        </>
      )}
    </main>
  );
}
