import { Readable } from 'node:stream';

import type { ChangeOutcome, DeviceChange } from '@implant-trace/device-registry-domain';
import {
  ImportAbortedError,
  ImportFormatError,
  ImportTooLargeError,
} from '@implant-trace/device-registry-domain';
import { waitFor } from '@implant-trace/platform-testing';
import { gs1CheckDigit } from '@implant-trace/udi';

import type { ApplyDeviceChangesUseCase } from '../apply-device-changes/apply-device-changes.use-case';
import { ImportDevicesUseCase } from './import-devices.use-case';

const HEADER = 'deviceIdentifier,manufacturer,brand';

function gtin(n: number): string {
  const body = `0761234${String(n).padStart(6, '0')}`;
  return `${body}${gs1CheckDigit(body)}`;
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

  it('parses the next chunk while one is applied, but applies one chunk at a time, in file order', async () => {
    const applied: string[][] = [];
    let inFlight = 0;
    let mostInFlight = 0;
    let release: () => void = () => undefined;
    const gate = new Promise<void>((resolve) => (release = resolve));
    const apply = {
      execute: async (changes: readonly DeviceChange[]): Promise<ChangeOutcome[]> => {
        inFlight++;
        mostInFlight = Math.max(mostInFlight, inFlight);
        applied.push(
          changes.map((c) => (c.kind === 'upsert' ? c.draft.brand : c.primaryDeviceIdentifier)),
        );
        if (applied.length === 1) await gate;
        inFlight--;
        return changes.map(() => ({ kind: 'created' }) as ChangeOutcome);
      },
    } as unknown as ApplyDeviceChangesUseCase;
    const parsed: number[] = [];
    const rows = Array.from({ length: 6 }, (_, i) => `${gtin(i)},Acme,Hip ${i}`);
    const source = Readable.from(
      (function* () {
        yield `${HEADER}\n`;
        for (const [i, row] of rows.entries()) {
          parsed.push(i);
          yield `${row}\n`;
        }
      })(),
    );
    const importing = new ImportDevicesUseCase(apply).execute(source, { batchSize: 2 });
    // The first chunk is held in the database: the second is read and parsed meanwhile.
    await waitFor(() => parsed.length >= 4, { description: 'the second chunk read' });
    expect(applied).toHaveLength(1);
    release();
    const report = await importing;
    expect(mostInFlight).toBe(1);
    expect(applied).toEqual([
      ['Hip 0', 'Hip 1'],
      ['Hip 2', 'Hip 3'],
      ['Hip 4', 'Hip 5'],
    ]);
    expect(report).toMatchObject({ rows: 6, created: 6 });
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

  it('rejects a line that is not UTF-8, an over-long line and an over-long field as rows, by line', async () => {
    const batches: number[] = [];
    const report = await new ImportDevicesUseCase(fakeApply(batches)).execute(
      Readable.from([
        Buffer.from(`${HEADER}\n${gtin(1)},Acme,Hip\n`),
        Buffer.concat([Buffer.from(`${gtin(2)},Ac`), Buffer.from([0xff]), Buffer.from('me,Hip\n')]),
        Buffer.from(`${gtin(3)},Acme,${'H'.repeat(300)}\n`),
        Buffer.from(`${gtin(4)},${'A'.repeat(201)},Hip\n`),
        Buffer.from(`${gtin(5)},Acme,Hip\n`),
      ]),
      { maxLineBytes: 256 },
    );
    expect(report).toMatchObject({ rows: 5, created: 2, rejected: 3 });
    expect(report.rejections).toEqual([
      { line: 3, reason: 'the line is not valid UTF-8' },
      { line: 4, reason: 'the line is longer than 256 bytes' },
      { line: 5, reason: 'manufacturer: is 201 characters long, at most 200' },
    ]);
    expect(batches).toEqual([2]);
  });

  it('refuses a header that names a column twice before applying anything', async () => {
    const batches: number[] = [];
    await expect(
      new ImportDevicesUseCase(fakeApply(batches)).execute(
        Readable.from([`${HEADER},Manufacturer\n${gtin(1)},Acme,Hip,Acme\n`]),
      ),
    ).rejects.toThrow('the header names "manufacturer" more than once');
    expect(batches).toEqual([]);
  });

  it('ends the import when its source fails mid-file: the source is destroyed, no later row applied', async () => {
    const batches: number[] = [];
    const source = new Readable({ read() {} });
    source.push(`${HEADER}\n${[1, 2, 3].map((i) => `${gtin(i)},Acme,Hip`).join('\n')}\n`);
    const importing = new ImportDevicesUseCase(fakeApply(batches)).execute(source, {
      batchSize: 2,
    });
    await waitFor(() => batches.length === 1, { description: 'the first batch applied' });
    source.destroy(Object.assign(new Error('aborted'), { code: 'ECONNRESET' }));
    await expect(importing).rejects.toThrow(ImportAbortedError);
    expect(source.destroyed).toBe(true);
    expect(batches).toEqual([2]);
  });

  it('reports a batch that fails to apply as that failure, not as an aborted upload', async () => {
    const failing = {
      execute: () => Promise.reject(new Error('database gone')),
    } as unknown as ApplyDeviceChangesUseCase;
    const source = Readable.from([`${HEADER}\n${gtin(1)},Acme,Hip\n`]);
    await expect(new ImportDevicesUseCase(failing).execute(source)).rejects.toThrow(
      'database gone',
    );
    expect(source.destroyed).toBe(true);
  });

  it('stops at the byte limit', async () => {
    const rows = Array.from({ length: 50 }, (_, i) => `${gtin(i)},Acme,Hip\n`);
    await expect(
      new ImportDevicesUseCase(fakeApply([])).execute(Readable.from([`${HEADER}\n`, ...rows]), {
        maxBytes: 200,
      }),
    ).rejects.toThrow(ImportTooLargeError);
  });
});
