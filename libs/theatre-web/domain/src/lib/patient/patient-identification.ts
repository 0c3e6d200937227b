import type { NhsNumber } from '@implant-trace/identifiers';
import { formatNhsNumber, parseWristbandGsrn } from '@implant-trace/identifiers';

/** Why a patient has no NHS number at the time of the operation. */
export const NHS_NUMBER_UNAVAILABLE_REASONS = [
  'Emergency: patient not yet identified',
  'Patient not registered (overseas visitor)',
  'Newborn: NHS number not yet issued',
  'NHS number not available: other reason',
] as const;

export type PatientIdentification =
  | { kind: 'nhs-number'; nhsNumber: NhsNumber }
  | { kind: 'wristband'; wristbandBarcode: string; nhsNumber: NhsNumber }
  | { kind: 'unavailable'; reason: string; localPatientId: string };

export type PatientApiBody =
  | { nhsNumber: string }
  | { wristbandBarcode: string }
  | { nhsNumberUnavailable: { reason: string; localPatientId: string } };

export type WristbandReading =
  { ok: true; patient: PatientIdentification } | { ok: false; message: string };

/** The patient from a wristband scan; the scan itself goes to the service, which reads it again. */
export function patientFromWristband(scan: string): WristbandReading {
  const result = parseWristbandGsrn(scan);
  if (!result.ok) return { ok: false, message: result.message };
  return {
    ok: true,
    patient: { kind: 'wristband', wristbandBarcode: scan, nhsNumber: result.nhsNumber },
  };
}

export type UnavailableReading =
  | { ok: true; patient: PatientIdentification }
  | { ok: false; errors: { field: 'reason' | 'localPatientId'; message: string }[] };

/** The "NHS number unavailable" path needs both a reason and the hospital's own patient id. */
export function patientWithoutNhsNumber(
  reason: string,
  localPatientId: string,
): UnavailableReading {
  const errors: { field: 'reason' | 'localPatientId'; message: string }[] = [];
  if (reason.trim() === '')
    errors.push({ field: 'reason', message: 'Say why there is no NHS number.' });
  if (localPatientId.trim() === '') {
    errors.push({
      field: 'localPatientId',
      message: "Enter the hospital's local patient id (MRN).",
    });
  }
  if (errors.length > 0) return { ok: false, errors };
  return {
    ok: true,
    patient: { kind: 'unavailable', reason: reason.trim(), localPatientId: localPatientId.trim() },
  };
}

export function patientApiBody(patient: PatientIdentification): PatientApiBody {
  switch (patient.kind) {
    case 'nhs-number':
      return { nhsNumber: patient.nhsNumber };
    case 'wristband':
      return { wristbandBarcode: patient.wristbandBarcode };
    case 'unavailable':
      return {
        nhsNumberUnavailable: { reason: patient.reason, localPatientId: patient.localPatientId },
      };
  }
}

/** How the patient is shown to theatre staff: the NHS number 3-3-4, or the local id and why. */
export function describePatient(patient: PatientIdentification): string {
  switch (patient.kind) {
    case 'nhs-number':
      return `NHS number ${formatNhsNumber(patient.nhsNumber)}`;
    case 'wristband':
      return `NHS number ${formatNhsNumber(patient.nhsNumber)} (wristband)`;
    case 'unavailable':
      return `Local id ${patient.localPatientId}: no NHS number (${patient.reason})`;
  }
}
