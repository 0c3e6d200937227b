import { createInterface } from 'node:readline';
import type { Readable } from 'node:stream';

import { Inject, Injectable } from '@nestjs/common';

import type {
  ChangeOutcome,
  DeviceChange,
  ImportFormat,
  ImportRowParser,
} from '@implant-trace/device-registry-domain';
import { createImportRowParser } from '@implant-trace/device-registry-domain';

import { ApplyDeviceChangesUseCase } from '../apply-device-changes/apply-device-changes.use-case';

export interface ImportRejection {
  line: number;
  reason: string;
}

export interface ImportReport {
  format: ImportFormat;
  /** Data lines read (the header and blank lines not counted). */
  rows: number;
  created: number;
  updated: number;
  unchanged: number;
  rejected: number;
  /** The first rejections, by line number; `rejectionsTruncated` says when more were counted. */
  rejections: ImportRejection[];
  rejectionsTruncated: boolean;
}

export interface ImportOptions {
  /** Rows per transaction: each batch commits with its outbox events, or not at all. */
  batchSize?: number;
  /** Rejections listed in the report (all are counted), so a bad file cannot exhaust memory. */
  maxRejectionsListed?: number;
  onBatch?: (report: Readonly<ImportReport>) => void;
}

/** The file is not one of the formats the importer reads; nothing was imported. */
export class ImportFormatError extends Error {}

/**
 * Streams a GUDID device file, a GUDID identifiers file or a CSV line by line and applies it in
 * batches: memory stays bounded by the batch size whatever the file size, and reading pauses
 * while a batch commits. Re-importing a file finds every row unchanged and publishes nothing.
 */
@Injectable()
export class ImportDevicesUseCase {
  constructor(
    @Inject(ApplyDeviceChangesUseCase) private readonly applyChanges: ApplyDeviceChangesUseCase,
  ) {}

  async execute(source: Readable, options: ImportOptions = {}): Promise<ImportReport> {
    const batchSize = options.batchSize ?? 1000;
    const maxListed = options.maxRejectionsListed ?? 1000;
    const lines = createInterface({ input: source, crlfDelay: Infinity });
    let parser: ImportRowParser | undefined;
    let report: ImportReport | undefined;
    let batch: { line: number; change: DeviceChange }[] = [];
    let lineNumber = 0;

    const reject = (line: number, reason: string) => {
      if (report === undefined) return;
      report.rejected++;
      if (report.rejections.length < maxListed) report.rejections.push({ line, reason });
      else report.rejectionsTruncated = true;
    };
    const count = (line: number, outcome: ChangeOutcome) => {
      if (report === undefined) return;
      switch (outcome.kind) {
        case 'created':
        case 'updated':
        case 'unchanged':
          report[outcome.kind]++;
          return;
        case 'conflict':
          return reject(
            line,
            outcome.conflicts
              .map((c) => `${c.deviceIdentifier} already identifies device ${c.ownerDeviceId}`)
              .join('; '),
          );
        case 'rejected':
          return reject(line, outcome.reason);
      }
    };
    const flush = async () => {
      if (batch.length === 0 || report === undefined) return;
      const current = batch;
      batch = [];
      const outcomes = await this.applyChanges.execute(current.map((row) => row.change));
      outcomes.forEach((outcome, index) => count(current[index]?.line ?? 0, outcome));
      options.onBatch?.(report);
    };

    try {
      for await (const line of lines) {
        lineNumber++;
        if (parser === undefined) {
          const header = createImportRowParser(line);
          if (!header.ok) throw new ImportFormatError(header.reason);
          parser = header.parser;
          report = {
            format: parser.format,
            rows: 0,
            created: 0,
            updated: 0,
            unchanged: 0,
            rejected: 0,
            rejections: [],
            rejectionsTruncated: false,
          };
          continue;
        }
        const row = parser.parse(line);
        if (row.kind === 'blank') continue;
        if (report !== undefined) report.rows++;
        if (row.kind === 'rejected') reject(lineNumber, row.reason);
        else batch.push({ line: lineNumber, change: row.change });
        if (batch.length >= batchSize) await flush();
      }
      await flush();
    } finally {
      lines.close();
    }
    if (report === undefined) throw new ImportFormatError('the file is empty');
    // Rows rejected while parsing are listed at once, those refused by the catalogue when their
    // batch commits: the report lists them in file order.
    report.rejections.sort((a, b) => a.line - b.line);
    return report;
  }
}
