import { useState } from 'react';

import type { PatientIdentification } from '@implant-trace/theatre-web-domain';
import {
  describePatient,
  NHS_NUMBER_UNAVAILABLE_REASONS,
  patientWithoutNhsNumber,
} from '@implant-trace/theatre-web-domain';

import { NhsNumberField } from './nhs-number-field';

export interface PatientPanelProps {
  patient: PatientIdentification | undefined;
  wristbandProblem: string | undefined;
  onPatient(patient: PatientIdentification | undefined): void;
}

type Mode = 'scan-or-type' | 'unavailable';

/** Who the implant goes into: a wristband scan (anywhere on the page), a typed NHS number, or none. */
export function PatientPanel({ patient, wristbandProblem, onPatient }: PatientPanelProps) {
  const [mode, setMode] = useState<Mode>('scan-or-type');
  const [reason, setReason] = useState<string>(NHS_NUMBER_UNAVAILABLE_REASONS[0]);
  const [localId, setLocalId] = useState('');
  const [errors, setErrors] = useState<{ field: string; message: string }[]>([]);

  if (patient !== undefined) {
    return (
      <section className="panel" aria-labelledby="patient-heading">
        <h2 id="patient-heading">Patient</h2>
        <p className="patient" data-testid="patient">
          {describePatient(patient)}
        </p>
        <button
          type="button"
          className="button button--secondary"
          onClick={() => onPatient(undefined)}
        >
          Change patient
        </button>
      </section>
    );
  }

  const errorOf = (field: string) => errors.find((error) => error.field === field)?.message;
  return (
    <section className="panel" aria-labelledby="patient-heading">
      <h2 id="patient-heading">Patient</h2>
      {mode === 'scan-or-type' ? (
        <>
          <p className="instruction">Scan the wristband, or type the NHS number.</p>
          {wristbandProblem !== undefined && (
            <p className="hint hint--error" role="alert">
              Wristband not read: {wristbandProblem}
            </p>
          )}
          <NhsNumberField onValid={(nhsNumber) => onPatient({ kind: 'nhs-number', nhsNumber })} />
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setMode('unavailable')}
          >
            NHS number unavailable
          </button>
        </>
      ) : (
        <form
          onSubmit={(event) => {
            event.preventDefault();
            const reading = patientWithoutNhsNumber(reason, localId);
            if (reading.ok) onPatient(reading.patient);
            else setErrors(reading.errors);
          }}
        >
          <div className="field">
            <label htmlFor="unavailable-reason">Why is there no NHS number?</label>
            <select
              id="unavailable-reason"
              className="input"
              value={reason}
              onChange={(event) => setReason(event.target.value)}
            >
              {NHS_NUMBER_UNAVAILABLE_REASONS.map((option) => (
                <option key={option}>{option}</option>
              ))}
            </select>
          </div>
          <div className="field">
            <label htmlFor="local-patient-id">Local patient id (hospital number)</label>
            <input
              id="local-patient-id"
              className="input"
              value={localId}
              aria-invalid={errorOf('localPatientId') !== undefined}
              aria-describedby="local-patient-id-error"
              onChange={(event) => setLocalId(event.target.value)}
            />
            <p id="local-patient-id-error" className="hint hint--error">
              {errorOf('localPatientId') ?? errorOf('reason') ?? ''}
            </p>
          </div>
          <button type="submit" className="button">
            Use local id
          </button>
          <button
            type="button"
            className="button button--secondary"
            onClick={() => setMode('scan-or-type')}
          >
            Back to NHS number
          </button>
        </form>
      )}
    </section>
  );
}
