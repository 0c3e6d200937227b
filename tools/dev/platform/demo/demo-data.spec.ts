import { parse } from 'csv-parse/sync';
import { mkdtemp, readFile, rm } from 'node:fs/promises';
import { tmpdir } from 'node:os';
import { join } from 'node:path';

import { isTestNhsNumber, parseWristbandGsrn } from '@implant-trace/identifiers';
import { parseUdi } from '@implant-trace/udi';

import { demoDevices, writeDemoCatalogue } from './demo-catalogue';
import { DEMO_HOSPITALS, IMPLANTS_PER_HOSPITAL, demoRecordings } from './demo-implants';

describe('demo data', () => {
  const devices = demoDevices();
  const recordings = demoRecordings(devices);

  it('writes a catalogue of a few hundred devices that parses as the import CSV, one row per device', async () => {
    const directory = await mkdtemp(join(tmpdir(), 'demo-'));
    try {
      const file = join(directory, 'catalogue.csv');
      await writeDemoCatalogue(file, devices);
      const rows = parse(await readFile(file, 'utf8'), { columns: true }) as Record<
        string,
        string
      >[];
      expect(rows).toHaveLength(300);
      expect(new Set(rows.map((row) => row['deviceIdentifier'])).size).toBe(300);
      for (const row of rows) expect(parseUdi(`(01)${row['deviceIdentifier']}`).ok).toBe(true);
    } finally {
      await rm(directory, { recursive: true, force: true });
    }
  });

  it('records implants at three hospitals by every entry path, each with its own key', () => {
    expect(recordings).toHaveLength(DEMO_HOSPITALS.length * IMPLANTS_PER_HOSPITAL);
    expect(new Set(recordings.map((r) => r.idempotencyKey)).size).toBe(recordings.length);
    const kinds = new Set(recordings.map((r) => r.kind));
    expect([...kinds].sort()).toEqual(
      ['barcode', 'manual', 'nhs-number-unavailable', 'two-barcode', 'wristband'].sort(),
    );
  });

  it('identifies every patient by an NHS test number, never a real one', () => {
    for (const { body } of recordings) {
      const patient = body['patient'] as { nhsNumber?: string; wristbandBarcode?: string };
      if (patient.nhsNumber !== undefined) expect(isTestNhsNumber(patient.nhsNumber)).toBe(true);
      if (patient.wristbandBarcode !== undefined) {
        const read = parseWristbandGsrn(patient.wristbandBarcode);
        expect(read).toMatchObject({ ok: true, isTestNumber: true });
      }
    }
  });

  it('gives every barcode a UDI the parser reads without warnings', () => {
    for (const { body } of recordings) {
      if (typeof body['barcode'] !== 'string') continue;
      const parsed = parseUdi(body['barcode']);
      expect(parsed).toMatchObject({ ok: true, warnings: [] });
    }
  });
});
