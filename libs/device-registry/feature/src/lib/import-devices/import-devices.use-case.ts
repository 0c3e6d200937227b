import type { Readable } from 'node:stream';
import { Transform } from 'node:stream';
import { pipeline } from 'node:stream/promises';

import { Inject, Injectable } from '@nestjs/common';

import type {
  ChangeOutcome,
  DeviceChange,
  ImportFormat,
  ImportRowParser,
  RowResult,
} from '@implant-trace/device-registry-domain';
import {
  createImportRowParser,
  ImportAbortedError,
  ImportFormatError,
  ImportTooLargeError,
} from '@implant-trace/device-registry-domain';
import { DomainError } from '@implant-trace/domain-kernel';

import { ApplyDeviceChangesUseCase } from '../apply-device-changes/apply-device-changes.use-case';

import type { ImportLine } from './import-lines.util';
import { splitImportLines } from './import-lines.util';

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
  /** Largest file read; beyond it the import stops (the batches before it stay applied). */
  maxBytes?: number;
  /** Longest line read; a longer one is a rejected row, and is never held in memory. */
  maxLineBytes?: number;
  onBatch?: (report: Readonly<ImportReport>) => void;
}

/**
 * Rows per transaction by default: large enough that a chunk's fixed costs (its COPYs, lookups
 * and commit) are small per row, small enough that a chunk commits in well under a second and
 * holds its devices' locks no longer.
 */
export const IMPORT_BATCH_SIZE = 10_000;

/** Room for every field of a device at its contract limit, quoted, with its other identifiers. */
export const IMPORT_MAX_LINE_BYTES = 16 * 1024;

function byteLimit(maxBytes: number): Transform {
  let received = 0;
  return new Transform({
    transform(chunk: Buffer, _encoding, callback) {
      received += chunk.length;
      callback(received > maxBytes ? new ImportTooLargeError(maxBytes) : null, chunk);
    },
  });
}

/**
 * Streams a GUDID device file, a GUDID identifiers file or a CSV line by line and applies it in
 * chunks, one transaction each: memory stays bounded by two chunks and the line limit whatever
 * the file size, and reading pauses while the chunk parsed ahead waits for the one committing. The stages run in one `stream.pipeline`, so a
 * source that fails or is aborted (a client closing its upload) ends the import and destroys
 * every stage; the chunk being committed at that moment finishes, no chunk after it is applied.
 * Re-importing a file finds every row unchanged and publishes nothing.
 */
@Injectable()
export class ImportDevicesUseCase {
  constructor(
    @Inject(ApplyDeviceChangesUseCase) private readonly applyChanges: ApplyDeviceChangesUseCase,
  ) {}

  async execute(source: Readable, options: ImportOptions = {}): Promise<ImportReport> {
    let consuming: Promise<ImportReport | undefined> = Promise.resolve(undefined);
    // Which failed first: the source (an upload reset or closed unfinished) or a stage of ours.
    // The pipeline destroys the source after a stage fails, so only the order tells them apart.
    let failedFirst: 'source' | 'stage' | undefined;
    const sourceEndedEarly = () => {
      if (!source.readableEnded) failedFirst ??= 'source';
    };
    source.once('error', sourceEndedEarly).once('close', sourceEndedEarly);
    try {
      await pipeline(
        source,
        byteLimit(options.maxBytes ?? Number.POSITIVE_INFINITY),
        splitImportLines(options.maxLineBytes ?? IMPORT_MAX_LINE_BYTES),
        async (lines: AsyncIterable<ImportLine>) => {
          consuming = this.consume(lines, options);
          await consuming.catch((error: unknown) => {
            failedFirst ??= 'stage';
            throw error;
          });
        },
      );
    } catch (error) {
      // The pipeline settles on the first failure; the batch in flight may still be committing.
      await consuming.catch(() => undefined);
      if (error instanceof DomainError || failedFirst !== 'source') throw error;
      throw new ImportAbortedError();
    }
    const report = await consuming;
    if (report === undefined) throw new ImportFormatError('the file is empty');
    return report;
  }

  private async consume(
    lines: AsyncIterable<ImportLine>,
    options: ImportOptions,
  ): Promise<ImportReport | undefined> {
    const batchSize = options.batchSize ?? IMPORT_BATCH_SIZE;
    const maxListed = options.maxRejectionsListed ?? 1000;
    let parser: ImportRowParser | undefined;
    let report: ImportReport | undefined;
    let batch: { line: number; change: DeviceChange }[] = [];

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

    // One chunk is in the database while the next is parsed: parsing is this process's work,
    // applying mostly PostgreSQL's, so the two overlap. Chunks still commit one after another,
    // each decided on what the one before it committed.
    let applying: Promise<void> = Promise.resolve();
    let failure: { error: unknown } | undefined;
    const settle = async () => {
      await applying;
      if (failure !== undefined) throw failure.error;
    };
    const dispatch = async () => {
      await settle();
      if (batch.length === 0 || report === undefined) return;
      const current = batch;
      const progress = report;
      batch = [];
      applying = this.applyChanges.execute(current.map((row) => row.change)).then(
        (outcomes) => {
          outcomes.forEach((outcome, index) => count(current[index]?.line ?? 0, outcome));
          options.onBatch?.(progress);
        },
        (error: unknown) => {
          failure ??= { error };
        },
      );
    };

    try {
      for await (const line of lines) {
        if (failure !== undefined) throw failure.error;
        if (parser === undefined) {
          if ('problem' in line) throw new ImportFormatError(`line ${line.line}: ${line.problem}`);
          const header = createImportRowParser(line.text);
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
        const row: RowResult =
          'problem' in line ? { kind: 'rejected', reason: line.problem } : parser.parse(line.text);
        if (row.kind === 'blank') continue;
        if (report !== undefined) report.rows++;
        if (row.kind === 'rejected') reject(line.line, row.reason);
        else batch.push({ line: line.line, change: row.change });
        if (batch.length >= batchSize) await dispatch();
      }
      await dispatch();
      await settle();
    } finally {
      // Whatever ended the file (its end, a failed source, a refused header), the chunk in the
      // database settles before the import reports: committed in full or not at all.
      await applying;
    }
    // Rows rejected while parsing are listed at once, those refused by the catalogue when their
    // batch commits: the report lists them in file order.
    report?.rejections.sort((a, b) => a.line - b.line);
    return report;
  }
}
