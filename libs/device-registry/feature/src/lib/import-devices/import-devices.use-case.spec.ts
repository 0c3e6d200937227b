import { Readable } from 'node:stream';

import type { ChangeOutcome, DeviceChange } from '@implant-trace/device-registry-domain';

import type { ApplyDeviceChangesUseCase } from '../apply-device-changes/apply-device-changes.use-case';
import { ImportDevicesUseCase, ImportFormatError } from './import-devices.use-case';

const HEADER = 'deviceIdentifier,manufacturer,brand';

function gtin(n: number): string {
  const body = `0761234${String(n).padStart(6, '0')}`;
  const weighted = [...body]
    .reverse()
    .reduce((sum, digit, k) => sum + Number(digit) * (k % 2 === 0 ? 3 : 1), 0);
  return `${body}${(10 - (weighted % 10)) % 10}`;
}

/** Stands in for the database: every change creates a device, and the batch sizes are recorded. */
function fakeApply(batches: number[]) {
  return {
    execute: async (changes: readonly DeviceChange[]): Promise<ChangeOutcome[]> => {
      batches.push(changes.length);
      return changes.map(() => ({ kind: 'created' }) as ChangeOutcome);
    },
  } as unknown as ApplyDeviceChangesUseCase;
}

describe('ImportDevicesUseCase', () => {
  it('applies rows in batches of the given size and counts every outcome', async () => {
    const batches: number[] = [];
    const rows = Array.from({ length: 25 }, (_, i) => `${gtin(i)},Acme,Hip ${i}`);
    const report = await new ImportDevicesUseCase(fakeApply(batches)).execute(
      Readable.from([`${HEADER}\n`, rows.join('\r\n'), '\n\n']),
      { batchSize: 10 },
    );
    expect(batches).toEqual([10, 10, 5]);
    expect(report).toMatchObject({ format: 'csv', rows: 25, created: 25, rejected: 0 });
  });

  it('counts every rejection but lists only the first ones, in line order', async () => {
    const lines = [HEADER, ...Array.from({ length: 5 }, (_, i) => `0761234000000${i},Acme,`)];
    const report = await new ImportDevicesUseCase(fakeApply([])).execute(
      Readable.from([lines.join('\n')]),
      { maxRejectionsListed: 2 },
    );
    expect(report).toMatchObject({ rows: 5, rejected: 5, rejectionsTruncated: true });
    expect(report.rejections.map((rejection) => rejection.line)).toEqual([2, 3]);
  });

  it('refuses an empty file and an unknown header before applying anything', async () => {
    const batches: number[] = [];
    const useCase = new ImportDevicesUseCase(fakeApply(batches));
    await expect(useCase.execute(Readable.from([]))).rejects.toThrow(ImportFormatError);
    await expect(useCase.execute(Readable.from(['a;b\n1;2\n']))).rejects.toThrow(ImportFormatError);
    expect(batches).toEqual([]);
  });
});
