import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { PatientValue, UdiValue } from '@implant-trace/contracts';
import type { ProjectedStatus } from '@implant-trace/recall-matching-domain';

/**
 * One implant as recall matching knows it. A row may exist before its `implant.recorded`
 * arrives (`recorded` false): an explant or correction heard first is kept, so the record,
 * when it comes, is already out of the active set.
 */
@Entity({ name: 'implants' })
// Every column a dry run reads, so it reads the index alone (covering-active-implants.migration.ts).
@Index(
  'implants_active_by_device',
  [
    'deviceId',
    'hospitalOds',
    'patientKey',
    'deviceIdentifier',
    'lotNumber',
    'serialNumber',
    'serialValue',
    'manufactureDate',
    'expirationDate',
  ],
  { where: `status = 'active'` },
)
@Index('implants_active_unresolved', ['deviceIdentifier'], {
  where: `status = 'active' AND device_id IS NULL`,
})
@Index('implants_by_identifier', ['deviceIdentifier'])
export class ProjectedImplantEntity {
  @PrimaryColumn({ name: 'implant_id', type: 'uuid' })
  implantId!: string;

  @Column({ type: 'boolean' })
  recorded!: boolean;

  @Column({ name: 'hospital_ods', type: 'text' })
  hospitalOds!: string;

  @Column({ type: 'jsonb', nullable: true })
  patient!: PatientValue | null;

  /** One patient, for counting: the NHS number, or the hospital's local id when there is none. */
  @Column({ name: 'patient_key', type: 'text', nullable: true })
  patientKey!: string | null;

  @Column({ type: 'jsonb', nullable: true })
  udi!: UdiValue | null;

  /** As scanned: any packaging level. */
  @Column({ name: 'device_identifier', type: 'text', nullable: true })
  deviceIdentifier!: string | null;

  /** The replica's device for the identifier; null while no device record names it. */
  @Column({ name: 'device_id', type: 'uuid', nullable: true })
  deviceId!: string | null;

  @Column({ name: 'lot_number', type: 'text', nullable: true })
  lotNumber!: string | null;

  @Column({ name: 'serial_number', type: 'text', nullable: true })
  serialNumber!: string | null;

  /** The serial's value when it is all digits, for numeric serial ranges. */
  @Column({ name: 'serial_value', type: 'numeric', nullable: true })
  serialValue!: string | null;

  /** YYYY-MM-DD as the label gave it (text: the label's day is compared, never converted). */
  @Column({ name: 'manufacture_date', type: 'text', nullable: true })
  manufactureDate!: string | null;

  @Column({ name: 'expiration_date', type: 'text', nullable: true })
  expirationDate!: string | null;

  @Column({ type: 'text' })
  status!: ProjectedStatus;

  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true })
  statusChangedAt!: Date | null;
}
