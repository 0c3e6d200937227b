import 'reflect-metadata';

import type { PatientFieldPaths } from './regulator-facing.decorator';
import { REGULATOR_FACING, RegulatorFacing } from './regulator-facing.decorator';

/** Compiles only when the two types are the same. */
type Same<A, B> = [A] extends [B] ? ([B] extends [A] ? true : false) : false;
const same = <A, B>(proof: Same<A, B>): Same<A, B> => proof;

interface RecallProgress {
  recallId: string;
  byHospital: { ods: string; patients: number; patientCount?: number; stage: string }[];
  matched: { implants: number; patients: number };
}

interface LeakyProgress {
  recallId: string;
  byHospital: { ods: string; patients: { nhs_number: string }[] }[];
  contact: { NHSNumber?: number; 'date-of-birth': string };
}

class ProbeController {
  @RegulatorFacing()
  progress(): Promise<RecallProgress> {
    return Promise.resolve({
      recallId: 'r1',
      byHospital: [],
      matched: { implants: 0, patients: 0 },
    });
  }

  // @ts-expect-error a regulator-facing response may not have patient fields
  @RegulatorFacing()
  leaky(): LeakyProgress {
    return { recallId: 'r1', byHospital: [], contact: { 'date-of-birth': '1970-01-01' } };
  }

  // @ts-expect-error nor be untyped: `unknown` could hold anything
  @RegulatorFacing()
  untyped(): unknown {
    return {};
  }
}

describe('RegulatorFacing', () => {
  it('names every patient field of a type, in any spelling and at any depth', () => {
    expect(same<PatientFieldPaths<RecallProgress>, never>(true)).toBe(true);
    expect(
      same<
        PatientFieldPaths<LeakyProgress>,
        'byHospital.patients' | 'contact.NHSNumber' | 'contact.date-of-birth'
      >(true),
    ).toBe(true);
    expect(
      same<
        PatientFieldPaths<{ items: { Patient_Id: string; local_patient_id?: string }[] }>,
        'items.Patient_Id' | 'items.local_patient_id'
      >(true),
    ).toBe(true);
    expect(same<PatientFieldPaths<{ detail: unknown }>, 'detail.(unknown)'>(true)).toBe(true);
  });

  it('marks the route as regulator-facing', () => {
    expect(Reflect.getMetadata(REGULATOR_FACING, ProbeController.prototype.progress)).toBe(true);
  });
});
