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
   * The implant as recorded. A status heard before the record (an explant that overtook it)
   * is kept; a record heard twice changes nothing.
   */
  async applyRecorded(tx: EntityManager, implant: ImplantRecordedV1): Promise<void> {
    const { udi } = implant;
    const serial = blankAsNull(udi.serialNumber);
    await tx.query(
      `INSERT INTO implants (implant_id, recorded, hospital_ods, patient, patient_key, udi,
         device_identifier, device_id, lot_number, serial_number, serial_value,
         manufacture_date, expiration_date, status)
       VALUES ($1, true, $2, $3, $4, $5, $6,
         (SELECT device_id FROM catalogue_identifiers WHERE device_identifier = $6),
         $7, $8, $9::numeric, $10, $11, 'active')
       ON CONFLICT (implant_id) DO UPDATE SET recorded = true, hospital_ods = EXCLUDED.hospital_ods,
         patient = EXCLUDED.patient, patient_key = EXCLUDED.patient_key, udi = EXCLUDED.udi,
         device_identifier = EXCLUDED.device_identifier, device_id = EXCLUDED.device_id,
         lot_number = EXCLUDED.lot_number, serial_number = EXCLUDED.serial_number,
         serial_value = EXCLUDED.serial_value, manufacture_date = EXCLUDED.manufacture_date,
         expiration_date = EXCLUDED.expiration_date
       WHERE NOT implants.recorded`,
      [
        implant.implantId,
        implant.hospitalOds,
        JSON.stringify(implant.patient),
        patientKeyOf(implant.patient, implant.hospitalOds),
        JSON.stringify(udi),
        udi.deviceIdentifier,
        blankAsNull(udi.lotNumber),
        serial,
        serial !== null && /^[0-9]+$/.test(serial) ? serial : null,
        blankAsNull(udi.manufactureDate),
        blankAsNull(udi.expirationDate),
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
