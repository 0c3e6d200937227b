import { randomUUID } from 'node:crypto';

import { testNhsNumber } from '@implant-trace/identifiers';

import type { SentRecording } from './fault-outcome';
import { postUntilAcknowledged } from './until-acknowledged';

export interface RecordingLoadOptions {
  implantEventsUrl: string;
  hospitals: readonly string[];
  theatreToken: (ods: string) => Promise<string>;
  gtin: string;
  recalledLot: string;
  ratePerSecond: number;
}

/**
 * Theatre staff recording implants at a steady rate, as a client that cares about its records
 * does: each recording keeps its Idempotency-Key and is sent again until a 2xx answers it.
 */
export class RecordingLoad {
  readonly recordings: SentRecording[] = [];
  private timer: NodeJS.Timeout | undefined;
  private readonly pending = new Set<Promise<void>>();
  private sequence = 0;

  constructor(private readonly options: RecordingLoadOptions) {}

  start(): void {
    this.timer = setInterval(() => this.sendOne(), 1000 / this.options.ratePerSecond);
  }

  /** Stops sending new recordings and waits for every one sent to be answered or given up. */
  async stop(): Promise<void> {
    clearInterval(this.timer);
    while (this.pending.size > 0) await Promise.all([...this.pending]);
  }

  private sendOne(): void {
    const index = this.sequence++;
    const hospitalOds = this.options.hospitals[index % this.options.hospitals.length] ?? '';
    const recalled = index % 2 === 0;
    const serial = `F${index}-${randomUUID().slice(0, 8)}`;
    const recording: SentRecording = { serial, hospitalOds, recalled, sentAt: Date.now() };
    this.recordings.push(recording);
    const lot = recalled ? this.options.recalledLot : 'LOT-SAFE';
    const body = {
      barcode: `(01)${this.options.gtin}(17)301231(10)${lot}(21)${serial}`,
      patient: { nhsNumber: testNhsNumber(index) },
    };
    const sending = this.untilAcknowledged(recording, body).finally(() =>
      this.pending.delete(sending),
    );
    this.pending.add(sending);
  }

  private async untilAcknowledged(recording: SentRecording, body: unknown): Promise<void> {
    const answer = await postUntilAcknowledged(
      recording,
      `${this.options.implantEventsUrl}/v1/implants`,
      await this.options.theatreToken(recording.hospitalOds),
      body,
    );
    if (typeof answer?.['implantId'] === 'string') recording.implantId = answer['implantId'];
  }
}
