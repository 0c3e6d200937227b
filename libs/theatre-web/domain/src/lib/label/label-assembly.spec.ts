import { gs1CheckDigit, mod43CheckCharacter } from '@implant-trace/udi';

import { GROUP_SEPARATOR } from '../scanner/wedge-burst.detector';
import type { LabelState } from './label-assembly';
import { addBarcode, barcodesBody, EMPTY_LABEL, waiveProductionBarcode } from './label-assembly';

const GTIN = `0501234567890${gs1CheckDigit('0501234567890')}`;
const OTHER_GTIN = `0501234567891${gs1CheckDigit('0501234567891')}`;

function scans(state: LabelState): string[] {
  return state.kind === 'complete' || state.kind === 'partial'
    ? state.barcodes.map(({ scan }) => scan)
    : [];
}

function withCheck(data: string): string {
  return data + (mod43CheckCharacter(data, 0, data.length) ?? '?');
}

describe('label assembly', () => {
  it('takes a one-barcode UDI with its production identifiers as a complete label', () => {
    const state = addBarcode(EMPTY_LABEL, `01${GTIN}17301231${'10'}LOT1${GROUP_SEPARATOR}21S1`);
    expect(state).toMatchObject({ kind: 'complete', warnings: [] });
    expect(barcodesBody(state as Extract<LabelState, { kind: 'complete' }>)).toEqual({
      barcode: `01${GTIN}17301231${'10'}LOT1${GROUP_SEPARATOR}21S1`,
    });
  });

  it('pairs a GS1 device-identifier barcode with the production barcode scanned after it', () => {
    const first = addBarcode(EMPTY_LABEL, `(01)${GTIN}`);
    expect(first).toMatchObject({ kind: 'partial', awaiting: 'production' });
    const second = addBarcode(first, '(17)301231(10)LOT1(21)S1');
    expect(second.kind).toBe('complete');
    expect(barcodesBody(second as Extract<LabelState, { kind: 'complete' }>)).toEqual({
      barcodes: [`(01)${GTIN}`, '(17)301231(10)LOT1(21)S1'],
    });
  });

  it('pairs them in either order', () => {
    const first = addBarcode(EMPTY_LABEL, '(17)301231(10)LOT1');
    expect(first).toMatchObject({ kind: 'partial', awaiting: 'device-identifier' });
    expect(scans(addBarcode(first, `(01)${GTIN}`))).toEqual([`(01)${GTIN}`, '(17)301231(10)LOT1']);
  });

  it('pairs a HIBCC secondary only with the primary whose check character it links to', () => {
    const primary = addBarcode(EMPTY_LABEL, '+A123BJC5D6E71G');
    expect(scans(addBarcode(primary, withCheck('+$$3261231LOT1G')))).toHaveLength(2);
    expect(addBarcode(primary, withCheck('+$$3261231LOT1H'))).toMatchObject({
      kind: 'partial',
      awaiting: 'device-identifier',
    });
  });

  it('starts a new label when a second device identifier comes instead of production data', () => {
    const state = addBarcode(addBarcode(EMPTY_LABEL, `(01)${GTIN}`), `(01)${OTHER_GTIN}`);
    expect(scans(state)).toEqual([`(01)${OTHER_GTIN}`]);
  });

  it('lets a person complete a label that prints no production identifiers', () => {
    const state = waiveProductionBarcode(addBarcode(EMPTY_LABEL, `(01)${GTIN}`));
    expect(state.kind).toBe('complete');
    expect(waiveProductionBarcode(EMPTY_LABEL)).toBe(EMPTY_LABEL);
  });

  it('reports an unreadable scan with the parser errors', () => {
    const state = addBarcode(EMPTY_LABEL, 'hello world');
    expect(state.kind).toBe('unreadable');
    expect(state.kind === 'unreadable' && state.errors.length).toBeGreaterThan(0);
  });

  it('passes on the parser warnings, so the fields are shown for confirmation', () => {
    // A bare GTIN is read with a warning: it may be an EAN on the box, not a UDI carrier.
    const state = addBarcode(EMPTY_LABEL, GTIN);
    const completed = waiveProductionBarcode(state);
    expect(completed.kind === 'complete' && completed.warnings.length).toBeGreaterThan(0);
  });
});
