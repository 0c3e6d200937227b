import { Inject, Injectable } from '@nestjs/common';
import { parse } from 'csv-parse';
import type { Readable } from 'node:stream';

import { plainToInstance } from 'class-transformer';
import { validateSync } from 'class-validator';

import { RecallCriteriaValue } from '@implant-trace/contracts';
import { InvalidInputError, TooLargeError } from '@implant-trace/domain-kernel';
import { fieldErrorsOf } from '@implant-trace/platform-http';
import {
  applyScope,
  ScopeCollector,
  type ScopeColumns,
  type ScopeList,
  type ScopeMode,
} from '@implant-trace/recall-matching-domain';
import { DataSource } from 'typeorm';

import { RecallQueryUseCase, type RecallQueryAnswer } from '../recalls/recall-query.use-case';
import { RecallChangesUseCase } from '../recalls/recall-changes.use-case';
import { RecallEntity } from '../recalls/recall.entity';
import type { RecallChangeView } from '../recalls/recall-view';
import { RecallsRepository } from '../recalls/recalls.repository';

/** A notice's list of units is a spreadsheet, not a bulk import: tens of thousands of rows. */
export const SCOPE_MAX_BYTES = 16 * 1024 * 1024;

export interface ScopeReport {
  rows: number;
  accepted: { deviceIdentifiers: number; lotNumbers: number; serialNumbers: number };
  rejected: ScopeList['rejected'];
}

/** Reads a manufacturer's list (CSV with a header row) and sets or widens a recall's criteria. */
@Injectable()
export class RecallScopeUseCase {
  constructor(
    @Inject(DataSource) private readonly dataSource: DataSource,
    @Inject(RecallChangesUseCase) private readonly changes: RecallChangesUseCase,
    @Inject(RecallQueryUseCase) private readonly query: RecallQueryUseCase,
    @Inject(RecallsRepository) private readonly recalls: RecallsRepository,
  ) {}

  async apply(
    recallId: string,
    body: Readable,
    columns: ScopeColumns,
    mode: ScopeMode,
  ): Promise<RecallChangeView & { scope: ScopeReport }> {
    // Read before the change locks anything: the list may be long, the lock must be short.
    await this.recalls.view(recallId);
    const list = await readScope(body, columns);
    const recall = await this.dataSource.manager.findOneByOrFail(RecallEntity, { recallId });
    const criteria = applyScope(recall.details.criteria, list, mode);
    const changed = await this.changes.change(recallId, { criteria });
    return { ...changed, scope: reportOf(list) };
  }

  async dryRun(
    body: Readable,
    columns: ScopeColumns,
    mode: ScopeMode,
    criteriaJson: string | undefined,
  ): Promise<RecallQueryAnswer & { criteria: RecallCriteriaValue; scope: ScopeReport }> {
    const base = criteriaOf(criteriaJson);
    const list = await readScope(body, columns);
    const criteria = applyScope(base, list, criteriaJson === undefined ? 'set' : mode);
    return { ...(await this.query.execute(criteria)), criteria, scope: reportOf(list) };
  }
}

function reportOf(list: ScopeList): ScopeReport {
  return {
    rows: list.rows,
    accepted: {
      deviceIdentifiers: list.deviceIdentifiers.length,
      lotNumbers: list.lotNumbers.length,
      serialNumbers: list.serialNumbers.length,
    },
    rejected: list.rejected,
  };
}

/** Criteria given beside a list, validated as a request's would be (fields under `criteria`). */
function criteriaOf(json: string | undefined): RecallCriteriaValue {
  if (json === undefined) return {};
  const parsed = JSON.parse(json) as unknown;
  if (typeof parsed !== 'object' || parsed === null || Array.isArray(parsed)) {
    throw new InvalidInputError('The criteria are invalid', [
      { field: 'criteria', message: 'criteria must be a JSON object' },
    ]);
  }
  const criteria = plainToInstance(RecallCriteriaValue, parsed);
  const errors = validateSync(criteria, { whitelist: true, forbidNonWhitelisted: true });
  if (errors.length > 0) {
    throw new InvalidInputError('The criteria are invalid', fieldErrorsOf(errors, 'criteria'));
  }
  return criteria;
}

async function readScope(body: Readable, columns: ScopeColumns): Promise<ScopeList> {
  const named = Object.entries(columns).flatMap(([field, header]) =>
    typeof header === 'string' ? [[field, header] as const] : [],
  );
  if (named.length === 0) {
    throw new InvalidInputError('Name the column of the list to read', [
      { field: 'lot', message: 'give at least one of lot, serial or udi' },
    ]);
  }
  let bytes = 0;
  body.on('data', (chunk: Buffer) => {
    bytes += chunk.length;
    if (bytes > SCOPE_MAX_BYTES)
      body.destroy(new TooLargeError(`A list is limited to ${SCOPE_MAX_BYTES} bytes`));
  });
  const parser = body.pipe(
    parse({
      bom: true,
      columns: true,
      info: true,
      relax_column_count: true,
      skip_empty_lines: true,
    }),
  );
  body.on('error', (error) => parser.destroy(error));
  const collector = new ScopeCollector(columns);
  let headerChecked = false;
  try {
    for await (const { record, info } of parser as AsyncIterable<{
      record: Record<string, string>;
      info: { lines: number };
    }>) {
      if (!headerChecked) {
        headerChecked = true;
        const missing = named.filter(([, header]) => !(header in record));
        if (missing.length > 0) {
          throw new InvalidInputError(
            'The list has no column of that name',
            missing.map(([field, header]) => ({
              field,
              message: `no column named "${header}" in the header row`,
            })),
          );
        }
      }
      collector.add(info.lines, record);
    }
  } catch (error) {
    if (error instanceof InvalidInputError || error instanceof TooLargeError) throw error;
    throw new InvalidInputError('The list cannot be read as CSV', [
      { field: 'body', message: error instanceof Error ? error.message : String(error) },
    ]);
  }
  return collector.result();
}
