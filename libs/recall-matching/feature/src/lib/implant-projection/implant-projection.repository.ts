import { Injectable } from '@nestjs/common';
import type { EntityManager } from 'typeorm';

import type { ImplantRecordedV1, PatientValue } from '@implant-trace/contracts';
import { nextProjectedStatus, type ProjectedStatus } from '@implant-trace/recall-matching-domain';

/** The patient once, for counting: a local id counts only within its hospital. */
function patientKeyOf(patient: PatientValue, hospitalOds: string): string {
  return (
    patient.nhsNumber ?? `local:${hospitalOds}:${patient.nhsNumberUnavailable?.localPatientId}`
  );
}

const blankAsNull = (value: string | undefined): string | null =>
  value === undefined || value === '' ? null : value;

/** This service's table of implants, fed by `implant-events.implants.v1`. */
@Injectable()
export class ImplantProjectionRepository {
  /**
   * Implants as recorded, in one statement. A status heard before the record (an explant that
   * overtook it) is kept; a record heard twice changes nothing, so of two records of one
   * implant in a run only the first counts, as it would applied one by one.
   */
  async applyRecorded(tx: EntityManager, recorded: readonly ImplantRecordedV1[]): Promise<void> {
    const seen = new Set<string>();
    const firstOfEach = recorded.filter((implant) => {
      if (seen.has(implant.implantId)) return false;
      seen.add(implant.implantId);
      return true;
    });
    if (firstOfEach.length === 0) return;
    const column = <T>(value: (implant: ImplantRecordedV1) => T) => firstOfEach.map(value);
    const serialOf = (implant: ImplantRecordedV1) => blankAsNull(implant.udi.serialNumber);
    await tx.query(
      `INSERT INTO implants (implant_id, recorded, hospital_ods, patient, patient_key, udi,
         device_identifier, device_id, lot_number, serial_number, serial_value,
         manufacture_date, expiration_date, status)
       SELECT r.implant_id, true, r.hospital_ods, r.patient, r.patient_key, r.udi,
         r.device_identifier,
         (SELECT device_id FROM catalogue_identifiers c WHERE c.device_identifier = r.device_identifier),
         r.lot_number, r.serial_number, r.serial_value::numeric, r.manufacture_date,
         r.expiration_date, 'active'
       FROM unnest($1::uuid[], $2::text[], $3::jsonb[], $4::text[], $5::jsonb[], $6::text[],
         $7::text[], $8::text[], $9::text[], $10::text[], $11::text[])
         AS r(implant_id, hospital_ods, patient, patient_key, udi, device_identifier, lot_number,
           serial_number, serial_value, manufacture_date, expiration_date)
       ON CONFLICT (implant_id) DO UPDATE SET recorded = true, hospital_ods = EXCLUDED.hospital_ods,
         patient = EXCLUDED.patient, patient_key = EXCLUDED.patient_key, udi = EXCLUDED.udi,
         device_identifier = EXCLUDED.device_identifier, device_id = EXCLUDED.device_id,
         lot_number = EXCLUDED.lot_number, serial_number = EXCLUDED.serial_number,
         serial_value = EXCLUDED.serial_value, manufacture_date = EXCLUDED.manufacture_date,
         expiration_date = EXCLUDED.expiration_date
       WHERE NOT implants.recorded`,
      [
        column((implant) => implant.implantId),
        column((implant) => implant.hospitalOds),
        column((implant) => JSON.stringify(implant.patient)),
        column((implant) => patientKeyOf(implant.patient, implant.hospitalOds)),
        column((implant) => JSON.stringify(implant.udi)),
        column((implant) => implant.udi.deviceIdentifier),
        column((implant) => blankAsNull(implant.udi.lotNumber)),
        column(serialOf),
        column((implant) => {
          const serial = serialOf(implant);
          return serial !== null && /^[0-9]+$/.test(serial) ? serial : null;
        }),
        column((implant) => blankAsNull(implant.udi.manufactureDate)),
        column((implant) => blankAsNull(implant.udi.expirationDate)),
      ],
    );
  }

  /** An explant or a correction, whether or not the record has arrived yet. */
  async applyStatus(
    tx: EntityManager,
    change: { implantId: string; hospitalOds: string; status: ProjectedStatus; at: string },
  ): Promise<void> {
    const [held] = (await tx.query(`SELECT status FROM implants WHERE implant_id = $1 FOR UPDATE`, [
      change.implantId,
    ])) as { status: ProjectedStatus }[];
    const status = nextProjectedStatus(held?.status, change.status);
    if (held === undefined) {
      await tx.query(
        `INSERT INTO implants (implant_id, recorded, hospital_ods, status, status_changed_at)
         VALUES ($1, false, $2, $3, $4)`,
        [change.implantId, change.hospitalOds, status, change.at],
      );
    } else if (status !== held.status) {
      await tx.query(
        `UPDATE implants SET status = $2, status_changed_at = $3 WHERE implant_id = $1`,
        [change.implantId, status, change.at],
      );
    }
  }

  async identifierOf(tx: EntityManager, implantId: string): Promise<string | undefined> {
    const [row] = (await tx.query(`SELECT device_identifier FROM implants WHERE implant_id = $1`, [
      implantId,
    ])) as { device_identifier: string | null }[];
    return row?.device_identifier ?? undefined;
  }
}
