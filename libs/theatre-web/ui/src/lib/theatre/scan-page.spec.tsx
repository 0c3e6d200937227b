import { act, fireEvent, render, screen, waitFor } from '@testing-library/react';

import { encodeWristbandGsrn, testNhsNumber } from '@implant-trace/identifiers';
import { gs1CheckDigit } from '@implant-trace/udi';

import { ServicesContext } from '../shell/services.context';
import type { Route } from '../../test-support/fakes';
import { testServices } from '../../test-support/fakes';
import { ScanPage } from './scan-page';

const GTIN = `0501234567890${gs1CheckDigit('0501234567890')}`;
const SCAN = `01${GTIN}17301231${'10'}LOT1{GS}21S1`;
const NHS = testNhsNumber(11);
const WRISTBAND = `(8018)${encodeWristbandGsrn('0123456', NHS)}`;

/** Types like a wedge scanner: every key at once, then Enter, wherever the focus is. */
function wedgeScan(text: string) {
  for (const key of text) fireEvent.keyDown(document.activeElement ?? document.body, { key });
  fireEvent.keyDown(document.activeElement ?? document.body, { key: 'Enter' });
}

function renderPage(route: Route) {
  const fixture = testServices(route);
  render(
    <ServicesContext.Provider value={fixture.services}>
      <ScanPage />
    </ServicesContext.Provider>,
  );
  return fixture;
}

const device = { deviceId: 'd1', manufacturer: 'Acme', brand: 'Hip' };

describe('ScanPage', () => {
  it('shows RECALLED full-screen with words and the alarm, and holds recording until acknowledged', async () => {
    const { fetchStub, sounds } = renderPage((path) => {
      if (path.endsWith('/v1/scans/check')) {
        return {
          status: 200,
          body: {
            verdict: 'RECALLED',
            device,
            udi: { format: 'gs1', issuingAgency: 'GS1', deviceIdentifier: GTIN, lotNumber: 'LOT1' },
            recalls: [{ recallId: 'r1', title: 'Liner wear', class: 'II', match: 'matched' }],
            warnings: [],
          },
        };
      }
      return { status: 200, body: { items: [] } };
    });
    act(() => wedgeScan(SCAN));

    const dialog = await screen.findByRole('alertdialog', { name: 'RECALLED' });
    expect(dialog.textContent).toContain('Do not implant this device');
    expect(dialog.textContent).toContain('Recall class II: Liner wear');
    expect(sounds).toEqual(['alarm']);
    // The GS alias went to the service as GS itself, the suffix not at all.
    const checkBody = JSON.parse(
      String(fetchStub.calls.find((call) => call.path.endsWith('/scans/check'))?.init?.body),
    );
    expect(checkBody).toEqual({ barcode: `01${GTIN}17301231${'10'}LOT1\u001d21S1` });
    // Behind the verdict the page cannot be reached.
    expect(screen.getByRole('main', { hidden: true }).hasAttribute('inert')).toBe(true);

    fireEvent.click(screen.getByRole('button', { name: 'I have set this device aside' }));
    expect(screen.queryByRole('alertdialog')).toBeNull();
    expect(
      screen.getByRole<HTMLButtonElement>('button', { name: 'Record anyway (flagged for review)' })
        .disabled,
    ).toBe(true);
  });

  it('takes the patient from a wristband scan and records, sending the idempotency key', async () => {
    const { fetchStub } = renderPage((path) => {
      if (path.endsWith('/v1/scans/check'))
        return { status: 200, body: { verdict: 'OK', device, warnings: [] } };
      if (path.endsWith('/v1/implants')) {
        return {
          status: 201,
          body: { implantId: 'i1', verdict: 'OK', entryMethod: 'barcode', warnings: [] },
        };
      }
      return { status: 200, body: { nhsNumber: NHS, implants: [] } };
    });
    act(() => wedgeScan(WRISTBAND));
    expect((await screen.findByTestId('patient')).textContent).toContain(
      `NHS number ${NHS.slice(0, 3)} ${NHS.slice(3, 6)} ${NHS.slice(6)} (wristband)`,
    );
    act(() => wedgeScan(SCAN));
    fireEvent.click(await screen.findByRole('button', { name: 'Continue' }));
    fireEvent.click(screen.getByRole('button', { name: 'Record implant' }));

    await waitFor(() =>
      expect(screen.getByTestId('implant-list').textContent).toContain('Acme Hip'),
    );
    const recording = fetchStub.calls.find((call) => call.path.endsWith('/v1/implants'));
    expect((recording?.init?.headers as Record<string, string>)['idempotency-key']).toBe('key-1');
    expect(JSON.parse(String(recording?.init?.body))).toEqual({
      barcode: `01${GTIN}17301231${'10'}LOT1\u001d21S1`,
      patient: { wristbandBarcode: WRISTBAND },
    });
    expect(screen.getByTestId('queue-count').textContent).toContain('0');
  });

  it('offline: says UNVERIFIED, queues the recording, and shows a late RECALLED loudly when it is sent', async () => {
    let online = false;
    const { store, sounds } = renderPage((path) => {
      if (!online) return 'offline';
      if (path.endsWith('/v1/implants')) {
        return {
          status: 201,
          body: { implantId: 'i1', verdict: 'RECALLED', entryMethod: 'barcode', warnings: [] },
        };
      }
      if (path.endsWith('/v1/scans/check'))
        return { status: 200, body: { verdict: 'RECALLED', warnings: [] } };
      return { status: 200, body: { nhsNumber: NHS, implants: [] } };
    });
    act(() => wedgeScan(WRISTBAND));
    await screen.findByTestId('patient');
    act(() => wedgeScan(SCAN));
    fireEvent.click(await screen.findByRole('button', { name: 'I understand it is not verified' }));
    fireEvent.click(screen.getByRole('button', { name: 'Record anyway (flagged for review)' }));
    await waitFor(() => expect(screen.getByTestId('queue-count').textContent).toContain('2'));
    expect([...store.entries.values()].map((entry) => entry.kind)).toEqual([
      'check-scan',
      'record-implant',
    ]);

    online = true;
    act(() => {
      window.dispatchEvent(new Event('online'));
    });
    const late = await screen.findByRole('alertdialog', {
      name: 'RECALLED (recorded while offline)',
    });
    expect(late.textContent).toContain('Tell the surgeon and the team leader now');
    expect(sounds.at(-1)).toBe('alarm');
  });

  it('asks for the second barcode of a two-barcode label, then checks both together', async () => {
    const { fetchStub } = renderPage(() => ({
      status: 200,
      body: { verdict: 'OK', warnings: [] },
    }));
    act(() => wedgeScan(`(01)${GTIN}`));
    await screen.findByText(/Scan the lot\/serial barcode/);
    act(() => wedgeScan('(17)301231(10)LOT1'));
    await screen.findByRole('alertdialog', { name: 'OK' });
    const checkBody = JSON.parse(
      String(fetchStub.calls.find((call) => call.path.endsWith('/scans/check'))?.init?.body),
    );
    expect(checkBody).toEqual({ barcodes: [`(01)${GTIN}`, '(17)301231(10)LOT1'] });
  });

  it('leaves typing in a field alone: a typed NHS number is checked and grouped', async () => {
    renderPage(() => ({ status: 200, body: { items: [] } }));
    const field = screen.getByLabelText<HTMLInputElement>('NHS number');
    fireEvent.change(field, { target: { value: NHS } });
    expect(field.value).toBe(`${NHS.slice(0, 3)} ${NHS.slice(3, 6)} ${NHS.slice(6)}`);
    expect(
      screen.getByRole<HTMLButtonElement>('button', { name: 'Use this NHS number' }).disabled,
    ).toBe(false);
  });

  it('records a device typed in by hand as manual, flagged for review, and shows its RECALLED verdict at once', async () => {
    const { fetchStub, sounds } = renderPage((path, init) => {
      if (path.endsWith('/v1/implants') && init?.method !== 'GET') {
        return {
          status: 201,
          body: {
            implantId: 'i-manual',
            verdict: 'RECALLED',
            entryMethod: 'manual',
            reviewFlags: ['manual-entry'],
            warnings: [],
          },
        };
      }
      return { status: 200, body: { implants: [] } };
    });
    act(() => wedgeScan(WRISTBAND));
    await screen.findByText(/\(wristband\)/);
    fireEvent.click(screen.getByRole('button', { name: 'No barcode can be read: enter by hand' }));
    const form = screen.getByRole('form', { name: 'MANUAL ENTRY: no barcode read' });
    expect(form.textContent).toContain('recorded as manual and flagged for review');

    // A GTIN with a wrong check digit is caught before anything is sent.
    const wrong = `${GTIN.slice(0, 13)}${(Number(GTIN[13]) + 1) % 10}`;
    fireEvent.change(screen.getByLabelText('Device identifier (DI, the GTIN after (01))'), {
      target: { value: wrong },
    });
    fireEvent.click(
      screen.getByRole('button', { name: 'Record manual entry (flagged for review)' }),
    );
    expect(form.textContent).toContain('The check digit is wrong');
    expect(fetchStub.calls.some((call) => call.path.endsWith('/v1/implants'))).toBe(false);

    fireEvent.change(screen.getByLabelText('Device identifier (DI, the GTIN after (01))'), {
      target: { value: GTIN },
    });
    fireEvent.change(screen.getByLabelText('Lot number (after (10))'), {
      target: { value: 'LOT9' },
    });
    fireEvent.change(screen.getByLabelText('Expiry date (after (17))'), {
      target: { value: '2030-12-31' },
    });
    fireEvent.click(
      screen.getByRole('button', { name: 'Record manual entry (flagged for review)' }),
    );

    const dialog = await screen.findByRole('alertdialog', { name: 'RECALLED' });
    expect(dialog.textContent).toContain('Entered by hand');
    expect(sounds).toContain('alarm');
    const sent = fetchStub.calls.find((call) => call.path.endsWith('/v1/implants'));
    expect(JSON.parse(String(sent?.init?.body))).toEqual({
      manual: { deviceIdentifier: GTIN, lotNumber: 'LOT9', expirationDate: '2030-12-31' },
      patient: { wristbandBarcode: WRISTBAND },
    });
    expect((sent?.init?.headers as Record<string, string>)['idempotency-key']).toBeDefined();
    fireEvent.click(screen.getByRole('button', { name: 'I have set this device aside' }));
    const recorded = await screen.findByText(/^Entered by hand: /);
    expect(recorded.parentElement?.textContent).toContain('flagged for review');
  });
});
