import { encodeWristbandGsrn, testNhsNumber } from '@implant-trace/identifiers';

import {
  describePatient,
  patientApiBody,
  patientFromWristband,
  patientWithoutNhsNumber,
} from './patient-identification';

describe('patient identification', () => {
  const nhsNumber = testNhsNumber(3);

  it('reads the NHS number from a wristband and sends the wristband scan itself', () => {
    const scan = `(8018)${encodeWristbandGsrn('0123456', nhsNumber)}`;
    const reading = patientFromWristband(scan);
    expect(reading).toEqual({
      ok: true,
      patient: { kind: 'wristband', wristbandBarcode: scan, nhsNumber },
    });
    if (!reading.ok) throw new Error('unreachable');
    expect(patientApiBody(reading.patient)).toEqual({ wristbandBarcode: scan });
    expect(describePatient(reading.patient)).toBe(
      `NHS number ${nhsNumber.slice(0, 3)} ${nhsNumber.slice(3, 6)} ${nhsNumber.slice(6)} (wristband)`,
    );
  });

  it('says why a wristband scan is refused', () => {
    expect(patientFromWristband('(8018)123')).toMatchObject({
      ok: false,
      message: expect.any(String),
    });
  });

  it('needs both the reason and the local patient id when there is no NHS number', () => {
    expect(patientWithoutNhsNumber(' ', '')).toEqual({
      ok: false,
      errors: [
        { field: 'reason', message: expect.any(String) },
        { field: 'localPatientId', message: expect.any(String) },
      ],
    });
    const reading = patientWithoutNhsNumber('Emergency', ' MRN-1 ');
    if (!reading.ok) throw new Error('expected a patient');
    expect(patientApiBody(reading.patient)).toEqual({
      nhsNumberUnavailable: { reason: 'Emergency', localPatientId: 'MRN-1' },
    });
  });

  it('sends a typed NHS number as its ten digits', () => {
    expect(patientApiBody({ kind: 'nhs-number', nhsNumber })).toEqual({ nhsNumber });
  });
});
