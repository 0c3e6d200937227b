import { useState } from 'react';

import type { NhsNumber } from '@implant-trace/identifiers';
import { nhsNumberEntry } from '@implant-trace/theatre-web-domain';

export interface NhsNumberFieldProps {
  onValid(nhsNumber: NhsNumber): void;
}

/** The NHS number, checked as it is typed and shown in the 3-3-4 groups it is printed in. */
export function NhsNumberField({ onValid }: NhsNumberFieldProps) {
  const [typed, setTyped] = useState('');
  const entry = nhsNumberEntry(typed);
  return (
    <div className="field">
      <label htmlFor="nhs-number">NHS number</label>
      <input
        id="nhs-number"
        className="input input--nhs"
        inputMode="numeric"
        autoComplete="off"
        value={entry.display === '' ? typed : entry.display}
        aria-invalid={entry.state === 'invalid'}
        aria-describedby="nhs-number-hint"
        onChange={(event) => setTyped(event.target.value)}
      />
      <p
        id="nhs-number-hint"
        className={`hint ${entry.state === 'invalid' ? 'hint--error' : ''}`}
        aria-live="polite"
      >
        {entry.state === 'invalid'
          ? entry.message
          : entry.state === 'valid'
            ? 'Valid NHS number.'
            : '10 digits, as on the wristband or the notes.'}
      </p>
      <button
        type="button"
        className="button"
        disabled={entry.state !== 'valid'}
        onClick={() => entry.state === 'valid' && onValid(entry.nhsNumber)}
      >
        Use this NHS number
      </button>
    </div>
  );
}
