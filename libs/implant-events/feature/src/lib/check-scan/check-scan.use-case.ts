import { Inject, Injectable, Logger } from '@nestjs/common';

import { todayInLondon, type Clock } from '@implant-trace/domain-kernel';
import type {
  ActiveRecall,
  AssembledScan,
  RecallEvaluation,
  ReplicaDevice,
  ScanCheckOutcome,
} from '@implant-trace/implant-events-domain';
import { assembleScan, decideScanVerdict } from '@implant-trace/implant-events-domain';
import { CatchUpTracker } from '@implant-trace/platform-messaging';
import type { Udi } from '@implant-trace/udi';

import { CatalogueReplicaRepository } from '../catalogue-replica/catalogue-replica.repository';
import { IMPLANT_EVENTS_CLOCK, RECALL_EVALUATION } from '../implant-events.options';
import { RecallIndexCache } from '../recall-index/recall-index.cache';

export interface CheckScanCommand {
  barcodes: readonly string[];
}

export const CATALOGUE_UNREADABLE = 'the catalogue replica cannot be read';

/** Gathers what the service knows about a scan; the verdict is the domain's. */
@Injectable()
export class CheckScanUseCase {
  private readonly logger = new Logger('CheckScan');

  constructor(
    @Inject(CatalogueReplicaRepository) private readonly catalogue: CatalogueReplicaRepository,
    @Inject(RecallIndexCache) private readonly recalls: RecallIndexCache,
    @Inject(CatchUpTracker) private readonly catchUp: CatchUpTracker,
    @Inject(RECALL_EVALUATION) private readonly evaluate: RecallEvaluation,
    @Inject(IMPLANT_EVENTS_CLOCK) private readonly clock: Clock,
  ) {}

  execute(command: CheckScanCommand): Promise<ScanCheckOutcome> {
    return this.check(assembleScan(command.barcodes, { clock: this.clock }));
  }

  /** The same check for a UDI typed in by hand (no barcode to assemble). */
  checkUdi(udi: Udi): Promise<ScanCheckOutcome> {
    return this.check({ ok: true, udi, warnings: [] });
  }

  private async check(scan: AssembledScan): Promise<ScanCheckOutcome> {
    const doubts = this.catchUp.doubts();
    if (!scan.ok) return this.decide(scan, undefined, [], doubts);
    // The catalogue (PostgreSQL) and the recall index (Redis) are asked at once.
    const [device, recalls] = await Promise.all([
      this.findDevice(scan.udi.deviceIdentifier, doubts),
      this.recalls.openRecalls(),
    ]);
    return this.decide(scan, device, recalls, doubts);
  }

  private async findDevice(
    deviceIdentifier: string | undefined,
    doubts: string[],
  ): Promise<ReplicaDevice | undefined> {
    if (deviceIdentifier === undefined) return undefined;
    try {
      return await this.catalogue.findByIdentifier(deviceIdentifier);
    } catch (error) {
      this.logger.warn(`${CATALOGUE_UNREADABLE}: ${String(error)}`);
      doubts.push(CATALOGUE_UNREADABLE);
      return undefined;
    }
  }

  private decide(
    scan: AssembledScan,
    device: ReplicaDevice | undefined,
    recalls: readonly ActiveRecall[] | undefined,
    doubts: string[],
  ): ScanCheckOutcome {
    return decideScanVerdict({
      scan,
      device,
      recalls,
      doubts,
      today: todayInLondon(this.clock),
      evaluate: this.evaluate,
    });
  }
}
