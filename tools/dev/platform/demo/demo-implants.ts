import { encodeWristbandGsrn, testNhsNumber } from '@implant-trace/identifiers';

import type { DemoDevice, DemoFamily } from './demo-catalogue';

export interface DemoHospital {
  ods: string;
  name: string;
  /** The GS1 company prefix its wristband printer uses. */
  wristbandPrefix: string;
}

export const DEMO_HOSPITALS: readonly DemoHospital[] = [
  { ods: 'RXH01', name: 'Royal Sussex County Hospital', wristbandPrefix: '5060001' },
  { ods: 'RAJ01', name: 'Southend University Hospital', wristbandPrefix: '5060002' },
  { ods: 'RJ701', name: "St George's Hospital", wristbandPrefix: '5060003' },
];

export const IMPLANTS_PER_HOSPITAL = 700;
export const THEATRE_STAFF_PER_HOSPITAL = 10;
export const LOTS_PER_FAMILY = 12;

export interface DemoRecording {
  hospital: DemoHospital;
  /** Which of the hospital's theatre staff records it (tokens are rate-limited one by one). */
  staff: number;
  idempotencyKey: string;
  body: Record<string, unknown>;
  /** How it was entered, for the summary. */
  kind: 'barcode' | 'two-barcode' | 'wristband' | 'manual' | 'nhs-number-unavailable';
  device: DemoDevice;
  lot: string | undefined;
}

export function demoLot(family: DemoFamily, index: number): string {
  return `${family.modelPrefix}L${String((index % LOTS_PER_FAMILY) + 1).padStart(2, '0')}`;
}

/** GS1 date YYMMDD of a calendar date. */
const gs1Date = (isoDate: string) => isoDate.slice(2).replaceAll('-', '');

/**
 * Patients come in pairs of implants as theatre lists do: a hip stem with its cup, a pacing lead
 * with its pacemaker, a pair of breast implants; a heart valve on its own.
 */
function pairOf(pair: number): { families: [number, number]; shared: boolean } {
  switch (pair % 4) {
    case 0:
      return { families: [0, 1], shared: true };
    case 1:
      return { families: [2, 3], shared: true };
    case 2:
      return { families: [4, 4], shared: true };
    default:
      return { families: [5, 5], shared: false };
  }
}

/** The demo's implant recordings, the same on every run, each with its own idempotency key. */
export function demoRecordings(devices: readonly DemoDevice[]): DemoRecording[] {
  const byFamily = (family: number, size: number) => {
    const device = devices[family * 50 + size];
    if (device === undefined) throw new Error(`no demo device ${family}/${size}`);
    return device;
  };
  return DEMO_HOSPITALS.flatMap((hospital, hospitalIndex) =>
    Array.from({ length: IMPLANTS_PER_HOSPITAL }, (_, index): DemoRecording => {
      const pair = Math.floor(index / 2);
      const { families, shared } = pairOf(pair);
      const device = byFamily(families[index % 2] ?? 0, (pair * 7) % 50);
      const { family } = device;
      const patientIndex = hospitalIndex * 100_000 + (shared ? pair : 50_000 + index);
      const nhsNumber = testNhsNumber(patientIndex);
      const lot = family.carries.lot ? demoLot(family, pair + hospitalIndex) : undefined;
      const serial = family.carries.serial
        ? `${family.modelPrefix}${hospital.ods}${String(index).padStart(5, '0')}`
        : undefined;
      const expiry = `2029-${String((index % 12) + 1).padStart(2, '0')}-28`;
      const manufactured = family.carries.manufacture ? '2026-03-01' : undefined;
      const production =
        `(17)${gs1Date(expiry)}` +
        (manufactured === undefined ? '' : `(11)${gs1Date(manufactured)}`) +
        (lot === undefined ? '' : `(10)${lot}`) +
        (serial === undefined ? '' : `(21)${serial}`);
      const laterality = family.sided
        ? family.bodySite === 'breast'
          ? index % 2 === 0
            ? 'left'
            : 'right'
          : pair % 2 === 0
            ? 'left'
            : 'right'
        : 'na';
      const common = {
        procedure: family.procedure,
        bodySite: family.bodySite,
        laterality,
        implantedAt: new Date(Date.UTC(2026, 10, 1 + (index % 28), 9 + (index % 8))).toISOString(),
      };
      const variant = index % 20;
      let kind: DemoRecording['kind'] = 'barcode';
      let deviceSource: Record<string, unknown> = { barcode: `(01)${device.gtin}${production}` };
      let patient: Record<string, unknown> = { nhsNumber };
      if (variant === 0) {
        kind = 'manual';
        deviceSource = {
          manual: {
            deviceIdentifier: device.gtin,
            ...(lot === undefined ? {} : { lotNumber: lot }),
            ...(serial === undefined ? {} : { serialNumber: serial }),
            expirationDate: expiry,
          },
        };
      } else if (variant === 1) {
        kind = 'nhs-number-unavailable';
        patient = {
          nhsNumberUnavailable: {
            reason: 'unconscious trauma patient, not yet identified',
            localPatientId: `${hospital.ods}-MRN-${String(patientIndex).padStart(7, '0')}`,
          },
        };
      } else if (variant <= 4) {
        kind = 'two-barcode';
        deviceSource = { barcodes: [`(01)${device.gtin}`, production] };
      } else if (variant === 5) {
        kind = 'wristband';
        patient = {
          wristbandBarcode: `(8018)${encodeWristbandGsrn(hospital.wristbandPrefix, nhsNumber)}`,
        };
      }
      return {
        hospital,
        staff: index % THEATRE_STAFF_PER_HOSPITAL,
        idempotencyKey: `demo-implant-${hospital.ods}-${index}`,
        body: { ...deviceSource, patient, ...common },
        kind,
        device,
        lot,
      };
    }),
  );
}
