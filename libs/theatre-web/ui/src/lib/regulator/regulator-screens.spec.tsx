import { fireEvent, render, screen, waitFor } from '@testing-library/react';

import { ServicesContext } from '../shell/services.context';
import type { Route } from '../../test-support/fakes';
import { testServices } from '../../test-support/fakes';
import { RecallBuilderScreen } from './recall-builder-screen';
import { RecallProgressScreen } from './recall-progress-screen';

// recall-matching's answers in the shapes its use cases return (RecallQueryAnswer,
// RecallProgress, ScopeReport); the e2e spec drives the real service.
const CAUGHT_UP = { caughtUp: true, doubts: [] };
const CATCHING_UP = {
  caughtUp: false,
  doubts: ['the implant projection is behind implant-events.implants.v1'],
};

const PROGRESS = {
  recallId: 'r-1',
  status: 'open',
  affected: { implants: 12, patients: 11, hospitals: 2 },
  possible: { implants: 3, patients: 3, hospitals: 1 },
  byHospital: [
    {
      ods: 'RXH01',
      implants: 8,
      patients: 7,
      possible: { implants: 2, patients: 2 },
      notifiedAt: '2026-12-01T10:00:00Z',
      acknowledgement: { stage: 'received', at: '2026-12-01T11:00:00Z' },
      overdue: false,
    },
    {
      ods: 'RYJ02',
      implants: 4,
      patients: 4,
      possible: { implants: 1, patients: 1 },
      overdue: true,
    },
  ],
  followUp: { contacted: 5, 'explant-planned': 1 },
  projection: CAUGHT_UP,
};

const DRY_RUN = {
  matched: { implants: 12, patients: 11 },
  possible: { implants: 3, patients: 3 },
  byHospital: [
    { ods: 'RXH01', matched: { implants: 8, patients: 7 }, possible: { implants: 2, patients: 2 } },
    { ods: 'RYJ02', matched: { implants: 4, patients: 4 }, possible: { implants: 1, patients: 1 } },
  ],
  projection: CAUGHT_UP,
};

const SCOPE = {
  rows: 3,
  accepted: { deviceIdentifiers: 0, lotNumbers: 1, serialNumbers: 1 },
  rejected: [{ line: 4, reason: 'the UDI cannot be read: no application identifier' }],
};

const route: Route = (path, init) => {
  if (path.endsWith('/v1/recall-queries')) return { status: 200, body: DRY_RUN };
  if (path.includes('/scope?')) {
    return {
      status: 200,
      body: {
        ...DRY_RUN,
        criteria: { deviceIdentifiers: ['05012345678900'], lotNumbers: ['LOT-R1', 'LOT-R2'] },
        scope: SCOPE,
      },
    };
  }
  if (path.endsWith('/v1/recalls') && init?.method === 'POST') {
    return {
      status: 201,
      body: { recallId: 'r-1', title: 'Liner wear', class: 'II', status: 'open' },
    };
  }
  if (path.endsWith('/progress')) return { status: 200, body: PROGRESS };
  return {
    status: 200,
    body: { items: [{ recallId: 'r-1', title: 'Liner wear', class: 'II', status: 'open' }] },
  };
};

/** No NHS number (10 digits, spaced 3-3-4 or not) appears anywhere on a regulator screen. */
function expectNoPatientIdentifier(container: HTMLElement) {
  expect(container.textContent).not.toMatch(/\b\d{3}\s?\d{3}\s?\d{4}\b/);
}

describe('regulator screens', () => {
  it('shows the live dry-run count by hospital, then issues the recall with an idempotency key', async () => {
    const { services, fetchStub } = testServices(route, 'regulator');
    const issued: string[] = [];
    const { container } = render(
      <ServicesContext.Provider value={services}>
        <RecallBuilderScreen
          onIssued={(id) => issued.push(id)}
          newIdempotencyKey={() => 'issue-key-1'}
        />
      </ServicesContext.Provider>,
    );
    fireEvent.change(screen.getByLabelText('Device identifiers (one per line)'), {
      target: { value: '05012345678900' },
    });
    fireEvent.change(screen.getByLabelText('Lot numbers'), { target: { value: 'LOT-R1' } });
    await waitFor(() =>
      expect(screen.getByTestId('dry-run').textContent).toContain(
        '12 implants in 11 patients matched',
      ),
    );
    const rxh01 = screen.getByRole('row', { name: /RXH01/ });
    expect(rxh01.textContent).toBe('RXH0182');
    expect(screen.queryByTestId('provisional')).toBeNull();
    const query = fetchStub.calls.find((call) => call.path.endsWith('/v1/recall-queries'));
    expect(query?.path).toBe('/api/recall-matching/v1/recall-queries');
    expect(JSON.parse(String(query?.init?.body))).toEqual({
      criteria: { deviceIdentifiers: ['05012345678900'], lotNumbers: ['LOT-R1'] },
    });

    fireEvent.change(screen.getByLabelText('Title'), { target: { value: 'Liner wear' } });
    fireEvent.change(screen.getByLabelText('Reason'), { target: { value: 'Early wear' } });
    fireEvent.click(screen.getByRole('button', { name: 'Issue recall' }));
    await waitFor(() => expect(issued).toEqual(['r-1']));
    const issue = fetchStub.calls.find((call) => call.path === '/api/recall-matching/v1/recalls');
    expect((issue?.init?.headers as Record<string, string>)['idempotency-key']).toBe('issue-key-1');
    expectNoPatientIdentifier(container);
  });

  it('shows progress per hospital with overdue ones and a chart that states its counts in words', async () => {
    const { services } = testServices(route, 'regulator');
    const { container } = render(
      <ServicesContext.Provider value={services}>
        <RecallProgressScreen selected="r-1" onSelect={() => undefined} />
      </ServicesContext.Provider>,
    );
    await waitFor(() =>
      expect(screen.getByTestId('progress-affected').textContent).toContain(
        '12 implants, 11 patients, 2',
      ),
    );
    expect(screen.getByRole('img').textContent).toContain('received 1');
    expect(container.textContent).toContain('OVERDUE');
    expect(container.textContent).toContain('contacted: 5');
    expectNoPatientIdentifier(container);
  });

  it('says loudly, in words, that dry-run and progress counts are provisional while the projection catches up', async () => {
    const catchingUp: Route = (path, init) => {
      const answer = route(path, init);
      if (answer === 'offline') return answer;
      const body = answer.body as Record<string, unknown>;
      return 'projection' in body
        ? { ...answer, body: { ...body, projection: CATCHING_UP } }
        : answer;
    };
    const { services, fetchStub } = testServices(catchingUp, 'regulator');
    const dryRuns = () =>
      fetchStub.calls.filter((call) => call.path.endsWith('/v1/recall-queries')).length;
    const builder = render(
      <ServicesContext.Provider value={services}>
        <RecallBuilderScreen onIssued={() => undefined} newIdempotencyKey={() => 'k'} />
      </ServicesContext.Provider>,
    );
    fireEvent.change(screen.getByLabelText('Device identifiers (one per line)'), {
      target: { value: '05012345678900' },
    });
    const alert = await screen.findByRole('alert');
    expect(alert.textContent).toContain('PROVISIONAL: these counts may be incomplete');
    expect(alert.textContent).toContain('Do not treat these counts as complete');
    expect(alert.textContent).toContain(CATCHING_UP.doubts[0]);
    expect(screen.getByTestId('dry-run').textContent).toContain(
      'at least 12 implants in 11 patients matched; at least 3 possible',
    );
    expect(screen.getByRole('table').textContent).toContain(
      'By hospital (provisional, may be short)',
    );
    // A provisional count is asked for again, unprompted, until it comes back complete.
    const asked = dryRuns();
    await waitFor(() => expect(dryRuns()).toBeGreaterThan(asked), { timeout: 8_000 });
    builder.unmount();

    render(
      <ServicesContext.Provider value={services}>
        <RecallProgressScreen selected="r-1" onSelect={() => undefined} />
      </ServicesContext.Provider>,
    );
    await waitFor(() =>
      expect(screen.getByTestId('progress-affected').textContent).toBe(
        'at least 12 implants, 11 patients, 2 hospitals affected; at least 3 possible',
      ),
    );
    expect(screen.getByRole('alert').textContent).toContain(
      'PROVISIONAL: these counts may be incomplete',
    );
    expect(screen.getByRole('table').textContent).toContain(
      'Per hospital (provisional, may be short)',
    );
  }, 15_000);

  it("uploads the manufacturer's list with the columns named for lot, serial and UDI and the mode, and lists its unreadable rows by line", async () => {
    const { services, fetchStub } = testServices(route, 'regulator');
    render(
      <ServicesContext.Provider value={services}>
        <RecallBuilderScreen onIssued={() => undefined} newIdempotencyKey={() => 'k'} />
      </ServicesContext.Provider>,
    );
    fireEvent.change(screen.getByLabelText('Device identifiers (one per line)'), {
      target: { value: '05012345678900' },
    });
    fireEvent.change(screen.getByLabelText('Lot numbers'), { target: { value: 'LOT-R1' } });
    const file = screen.getByLabelText('List of affected units (CSV with a header row)');
    // No column named yet: nothing to read the list by.
    expect(file).toHaveProperty('disabled', true);
    fireEvent.change(screen.getByLabelText('Column holding lot numbers'), {
      target: { value: 'Batch' },
    });
    fireEvent.change(screen.getByLabelText('Column holding serial numbers'), {
      target: { value: 'Serial No' },
    });
    fireEvent.change(screen.getByLabelText('Column holding UDIs (barcode text)'), {
      target: { value: 'UDI' },
    });
    fireEvent.click(
      screen.getByLabelText(
        "replaces the criteria's lots, serials or identifiers with those it lists",
      ),
    );
    const csv = new File(['Batch,Serial No,UDI\nLOT-R2,S-1,\n,,garbage\n'], 'list.csv', {
      type: 'text/csv',
    });
    fireEvent.change(file, { target: { files: [csv] } });
    await screen.findByText('Unreadable rows (left out)');
    const upload = fetchStub.calls.find((call) => call.path.includes('/scope?'));
    const url = new URL(upload?.path ?? '', 'http://page');
    expect(url.pathname).toBe('/api/recall-matching/v1/recall-queries/scope');
    expect(Object.fromEntries(url.searchParams)).toEqual({
      lot: 'Batch',
      serial: 'Serial No',
      udi: 'UDI',
      mode: 'set',
      criteria: JSON.stringify({ deviceIdentifiers: ['05012345678900'], lotNumbers: ['LOT-R1'] }),
    });
    expect(url.searchParams.has('column')).toBe(false);
    expect((upload?.init?.headers as Record<string, string>)['content-type']).toBe('text/csv');
    expect(screen.getByTestId('scope-report').textContent).toBe(
      '3 rows read: 1 lots, 1 serials, 0 device identifiers taken; 1 unreadable.',
    );
    expect(screen.getByRole('row', { name: /^4/ }).textContent).toBe(
      '4the UDI cannot be read: no application identifier',
    );
    // What is issued is what was counted: the list's criteria are now the form's.
    expect(screen.getByLabelText('Lot numbers')).toHaveProperty('value', 'LOT-R1\nLOT-R2');
  });
});
