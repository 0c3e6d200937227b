import { Column, Entity, Index, PrimaryColumn } from 'typeorm';

import type { PatientValue, ProcedureValue, UdiValue } from '@implant-trace/contracts';
import type { ImplantStatus } from '@implant-trace/implant-events-domain';

@Entity({ name: 'implants' })
@Index('implants_by_patient', ['hospitalOds', 'nhsNumber'])
@Index('implants_open_reviews', ['hospitalOds', 'recordedAt'], {
  where: `cardinality(review_flags) > 0 AND review_resolved_at IS NULL`,
})
@Index('implants_live_serials', ['deviceIdentifier', 'serialNumber'], {
  where: `status = 'implanted' AND serial_number IS NOT NULL`,
})
export class ImplantEntity {
  @PrimaryColumn({ name: 'implant_id', type: 'uuid' })
  implantId!: string;

  @Column({ name: 'hospital_ods', type: 'text' })
  hospitalOds!: string;

  /** Null when the patient has no NHS number yet (`patient` then holds the local id). */
  @Column({ name: 'nhs_number', type: 'text', nullable: true })
  nhsNumber!: string | null;

  @Column({ type: 'jsonb' })
  patient!: PatientValue;

  @Column({ name: 'device_identifier', type: 'text' })
  deviceIdentifier!: string;

  @Column({ name: 'serial_number', type: 'text', nullable: true })
  serialNumber!: string | null;

  @Column({ type: 'jsonb' })
  udi!: UdiValue;

  @Column({ name: 'device_id', type: 'uuid', nullable: true })
  deviceId!: string | null;

  @Column({ name: 'entry_method', type: 'text' })
  entryMethod!: 'barcode' | 'manual';

  /** The scan check's verdict when the implant was recorded. */
  @Column({ type: 'text' })
  verdict!: string;

  @Column({ type: 'jsonb', nullable: true })
  procedure!: ProcedureValue | null;

  @Column({ name: 'body_site', type: 'text', nullable: true })
  bodySite!: string | null;

  @Column({ type: 'text', nullable: true })
  laterality!: string | null;

  @Column({ name: 'implanted_at', type: 'timestamptz' })
  implantedAt!: Date;

  @Column({ name: 'recorded_by', type: 'text' })
  recordedBy!: string;

  @Column({ name: 'recorded_at', type: 'timestamptz' })
  recordedAt!: Date;

  @Column({ type: 'text' })
  status!: ImplantStatus;

  /** When the implant left the active set (explanted, or the record entered in error). */
  @Column({ name: 'status_changed_at', type: 'timestamptz', nullable: true })
  statusChangedAt!: Date | null;

  @Column({ name: 'status_changed_by', type: 'text', nullable: true })
  statusChangedBy!: string | null;

  @Column({ name: 'status_reason', type: 'text', nullable: true })
  statusReason!: string | null;

  @Column({ name: 'review_flags', type: 'text', array: true })
  reviewFlags!: string[];

  @Column({ type: 'jsonb' })
  warnings!: string[];

  @Column({ name: 'review_resolved_at', type: 'timestamptz', nullable: true })
  reviewResolvedAt!: Date | null;

  @Column({ name: 'review_resolved_by', type: 'text', nullable: true })
  reviewResolvedBy!: string | null;

  @Column({ name: 'review_note', type: 'text', nullable: true })
  reviewNote!: string | null;
}
