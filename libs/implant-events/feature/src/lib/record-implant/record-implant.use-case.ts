import { Inject, Injectable } from '@nestjs/common';

import type { IssuingAgency, PatientValue, ReviewFlag, UdiValue } from '@implant-trace/contracts';
import { EVENTS } from '@implant-trace/contracts';
import { type Clock, ClinicallyInvalidError } from '@implant-trace/domain-kernel';
import type { NhsNumberOptions } from '@implant-trace/identifiers';
import { parseNhsNumber, parseWristbandGsrn, uuidV7 } from '@implant-trace/identifiers';
import type { ScanCheckOutcome, ScanVerdict } from '@implant-trace/implant-events-domain';
import { decideReview } from '@implant-trace/implant-events-domain';
import type { Principal } from '@implant-trace/platform-auth';
import { UnitOfWork } from '@implant-trace/platform-database';
import { EventPublisher } from '@implant-trace/platform-messaging';
import type { Udi } from '@implant-trace/udi';

import { CheckScanUseCase } from '../check-scan/check-scan.use-case';
import type { ImplantEventsOptions, NhsNumberPolicy } from '../implant-events.options';
import { IMPLANT_EVENTS_CLOCK, IMPLANT_EVENTS_OPTIONS } from '../implant-events.options';
import { ImplantEntity } from './implant.entity';
import type { ManualDeviceDto, RecordImplantDto, RecordPatientDto } from './record-implant.dto';

export interface RecordedImplant {
  implantId: string;
  udi: UdiValue;
  entryMethod: 'barcode' | 'manual';
  verdict: ScanVerdict;
  reviewFlags: ReviewFlag[];
  warnings: string[];
}

/** The agency a typed identifier belongs to, by its shape: GTINs are digits, ISBT 128 starts `=`. */
function agencyOf(deviceIdentifier: string): IssuingAgency {
  if (/^\d+$/.test(deviceIdentifier)) return 'GS1';
  return deviceIdentifier.startsWith('=') ? 'ICCBBA' : 'HIBCC';
}

function manualUdi(manual: ManualDeviceDto): Udi {
  const agency = agencyOf(manual.deviceIdentifier);
  return {
    format: agency === 'GS1' ? 'gs1' : agency === 'ICCBBA' ? 'iccbba' : 'hibcc',
    issuingAgency: agency,
    deviceIdentifier: manual.deviceIdentifier,
    ...(manual.lotNumber === undefined ? {} : { lotNumber: manual.lotNumber }),
    ...(manual.serialNumber === undefined ? {} : { serialNumber: manual.serialNumber }),
    ...(manual.expirationDate === undefined ? {} : { expirationDate: manual.expirationDate }),
    ...(manual.manufactureDate === undefined ? {} : { manufactureDate: manual.manufactureDate }),
    elements: [],
  };
}

function udiValueOf(udi: Udi, deviceIdentifier: string, manual: boolean): UdiValue {
  const value: UdiValue = {
    format: manual ? 'manual' : udi.format,
    issuingAgency: udi.issuingAgency,
    deviceIdentifier,
  };
  if (udi.lotNumber !== undefined) value.lotNumber = udi.lotNumber;
  if (udi.serialNumber !== undefined) value.serialNumber = udi.serialNumber;
  if (udi.expirationDate !== undefined) value.expirationDate = udi.expirationDate;
  if (udi.manufactureDate !== undefined) value.manufactureDate = udi.manufactureDate;
  return value;
}

const TEST_NUMBERS: Record<NhsNumberPolicy, NhsNumberOptions['testNumbers']> = {
  'refuse-test-numbers': 'refuse',
  'require-test-numbers': 'require',
  any: 'allow',
};

/**
 * The patient as the event carries them; a wrong check digit is refused, never guessed at, and
 * so is a number the deployment's test-number policy refuses, typed or read from a wristband.
 */
function patientOf(patient: RecordPatientDto, options: NhsNumberOptions): PatientValue {
  if (patient.nhsNumberUnavailable !== undefined) {
    return { nhsNumberUnavailable: patient.nhsNumberUnavailable };
  }
  if (patient.wristbandBarcode !== undefined) {
    const read = parseWristbandGsrn(patient.wristbandBarcode, options);
    if (!read.ok) {
      throw new ClinicallyInvalidError('The wristband does not carry a usable NHS number', [
        { field: 'patient.wristbandBarcode', message: read.message },
      ]);
    }
    return { nhsNumber: read.nhsNumber };
  }
  const parsed = parseNhsNumber(patient.nhsNumber ?? '', options);
  if (!parsed.ok) {
    throw new ClinicallyInvalidError('The NHS number is not valid', [
      { field: 'patient.nhsNumber', message: parsed.message },
    ]);
  }
  return { nhsNumber: parsed.nhsNumber };
}

/**
 * Records an implant whatever the scan check says: a doubtful device or patient is flagged
 * for review, never refused. The row and its event commit together; concurrent recordings of
 * one identifier and serial are serialised by a transaction lock, so each sees the others.
 */
@Injectable()
export class RecordImplantUseCase {
  constructor(
    @Inject(CheckScanUseCase) private readonly checkScan: CheckScanUseCase,
    @Inject(UnitOfWork) private readonly unitOfWork: UnitOfWork,
    @Inject(EventPublisher) private readonly publisher: EventPublisher,
    @Inject(IMPLANT_EVENTS_CLOCK) private readonly clock: Clock,
    @Inject(IMPLANT_EVENTS_OPTIONS) private readonly options: ImplantEventsOptions,
  ) {}

  async execute(body: RecordImplantDto, principal: Principal): Promise<RecordedImplant> {
    const patient = patientOf(body.patient, {
      testNumbers: TEST_NUMBERS[this.options.nhsNumberPolicy ?? 'any'],
    });
    const manual = body.manual !== undefined;
    const entryMethod: RecordedImplant['entryMethod'] = manual ? 'manual' : 'barcode';
    const outcome = await this.deviceCheck(body);
    const udi = outcome.udi;
    const deviceIdentifier = udi?.deviceIdentifier;
    if (udi === undefined || deviceIdentifier === undefined) {
      const field = body.barcodes === undefined ? 'barcode' : 'barcodes';
      const problems = outcome.errors.map((error) => ({ field, message: error.message }));
      throw new ClinicallyInvalidError('The barcode cannot be read as a UDI', problems);
    }
    const hospitalOds = principal.ods;
    if (hospitalOds === undefined) throw new Error('a theatre token always carries its ods');
    const udiValue = udiValueOf(udi, deviceIdentifier, manual);
    const now = this.clock.now();
    return this.unitOfWork.run(async (transaction) => {
      const liveDuplicateIds: string[] = [];
      if (udiValue.serialNumber !== undefined) {
        await transaction.query(`SELECT pg_advisory_xact_lock(hashtextextended($1, 0))`, [
          `implant-serial:${deviceIdentifier}:${udiValue.serialNumber}`,
        ]);
        const live = await transaction.find(ImplantEntity, {
          select: { implantId: true },
          where: { deviceIdentifier, serialNumber: udiValue.serialNumber, status: 'implanted' },
          order: { recordedAt: 'ASC' },
        });
        liveDuplicateIds.push(...live.map((row) => row.implantId));
      }
      const review = decideReview({
        verdict: outcome.verdict,
        verdictReasons: outcome.reasons,
        entryMethod,
        nhsNumberUnavailable: patient.nhsNumberUnavailable !== undefined,
        parseWarnings: outcome.warnings.map((warning) => warning.message),
        liveDuplicateIds,
      });
      const implantId = uuidV7();
      const implantedAt = body.implantedAt === undefined ? now : new Date(body.implantedAt);
      await transaction.insert(ImplantEntity, {
        implantId,
        hospitalOds,
        nhsNumber: patient.nhsNumber ?? null,
        patient,
        deviceIdentifier,
        serialNumber: udiValue.serialNumber ?? null,
        udi: udiValue,
        deviceId: outcome.device?.deviceId ?? null,
        entryMethod,
        verdict: outcome.verdict,
        procedure: body.procedure ?? null,
        bodySite: body.bodySite ?? null,
        laterality: body.laterality ?? null,
        implantedAt,
        recordedBy: principal.sub,
        recordedAt: now,
        status: 'implanted',
        reviewFlags: review.reviewFlags,
        warnings: review.warnings,
      });
      await this.publisher.publish(transaction, EVENTS.implantRecordedV1, {
        implantId,
        hospitalOds,
        patient,
        udi: udiValue,
        ...(outcome.device === undefined ? {} : { deviceId: outcome.device.deviceId }),
        entryMethod,
        ...(body.barcode === undefined ? {} : { rawScan: body.barcode }),
        ...(body.procedure === undefined ? {} : { procedure: body.procedure }),
        ...(body.bodySite === undefined ? {} : { bodySite: body.bodySite }),
        ...(body.laterality === undefined ? {} : { laterality: body.laterality }),
        implantedAt: implantedAt.toISOString(),
        recordedBy: principal.sub,
        reviewFlags: review.reviewFlags,
      });
      return {
        implantId,
        udi: udiValue,
        entryMethod,
        verdict: outcome.verdict,
        reviewFlags: review.reviewFlags,
        warnings: review.warnings,
      };
    });
  }

  private deviceCheck(body: RecordImplantDto): Promise<ScanCheckOutcome> {
    if (body.manual !== undefined) return this.checkScan.checkUdi(manualUdi(body.manual));
    const barcodes = body.barcodes ?? (body.barcode === undefined ? [] : [body.barcode]);
    return this.checkScan.execute({ barcodes });
  }
}
