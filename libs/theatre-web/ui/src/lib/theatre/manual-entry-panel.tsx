import { useState } from 'react';

import type { ManualDeviceBody, ManualEntryForm } from '@implant-trace/theatre-web-domain';
import { EMPTY_MANUAL_ENTRY, manualEntryFromForm } from '@implant-trace/theatre-web-domain';

const TEXT_FIELDS: [keyof ManualEntryForm, string][] = [
  ['deviceIdentifier', 'Device identifier (DI, the GTIN after (01))'],
  ['lotNumber', 'Lot number (after (10))'],
  ['serialNumber', 'Serial number (after (21))'],
];
const DATE_FIELDS: [keyof ManualEntryForm, string][] = [
  ['expirationDate', 'Expiry date (after (17))'],
  ['manufactureDate', 'Manufacture date (after (11))'],
];

export interface ManualEntryPanelProps {
  /** Recording needs the patient first, as with a scan. */
  patientKnown: boolean;
  onRecord(manual: ManualDeviceBody): Promise<void>;
  onCancel(): void;
}

/**
 * Typing the device in by hand, when no barcode on the label can be read: marked as manual all
 * the way (the service flags it for review), since a typed identifier is the likeliest to be
 * wrong and its recall check is only as good as what was typed.
 */
export function ManualEntryPanel({ patientKnown, onRecord, onCancel }: ManualEntryPanelProps) {
  const [form, setForm] = useState<ManualEntryForm>(EMPTY_MANUAL_ENTRY);
  const [tried, setTried] = useState(false);
  const reading = manualEntryFromForm(form);
  const errorOf = (field: keyof ManualEntryForm) =>
    tried && !reading.ok
      ? reading.errors.find((error) => error.field === field)?.message
      : undefined;

  return (
    <form
      className="notice notice--warning"
      aria-labelledby="manual-heading"
      onSubmit={(event) => {
        event.preventDefault();
        setTried(true);
        if (reading.ok && patientKnown) void onRecord(reading.manual);
      }}
    >
      <h3 id="manual-heading">MANUAL ENTRY: no barcode read</h3>
      <p>
        Type the fields exactly as printed on the label. A device entered by hand is recorded as
        manual and flagged for review.
      </p>
      {TEXT_FIELDS.map(([field, label]) => (
        <div className="field" key={field}>
          <label htmlFor={`manual-${field}`}>{label}</label>
          <input
            id={`manual-${field}`}
            className="input"
            autoComplete="off"
            spellCheck={false}
            required={field === 'deviceIdentifier'}
            aria-invalid={errorOf(field) === undefined ? undefined : true}
            aria-describedby={`manual-${field}-error`}
            value={form[field]}
            onChange={(event) => setForm({ ...form, [field]: event.target.value })}
          />
          <p id={`manual-${field}-error`} className="hint hint--error">
            {errorOf(field) ?? ''}
          </p>
        </div>
      ))}
      {DATE_FIELDS.map(([field, label]) => (
        <div className="field" key={field}>
          <label htmlFor={`manual-${field}`}>{label}</label>
          <input
            id={`manual-${field}`}
            type="date"
            className="input"
            aria-invalid={errorOf(field) === undefined ? undefined : true}
            aria-describedby={`manual-${field}-error`}
            value={form[field]}
            onChange={(event) => setForm({ ...form, [field]: event.target.value })}
          />
          <p id={`manual-${field}-error`} className="hint hint--error">
            {errorOf(field) ?? ''}
          </p>
        </div>
      ))}
      <button type="submit" className="button button--large" disabled={!patientKnown}>
        Record manual entry (flagged for review)
      </button>
      {!patientKnown && <p className="hint">Identify the patient to record.</p>}
      <button type="button" className="button button--secondary" onClick={onCancel}>
        Cancel manual entry
      </button>
    </form>
  );
}
