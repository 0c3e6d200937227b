import { fireEvent, render, screen, waitFor } from '@testing-library/react';

import { ServicesContext } from '../shell/services.context';
import type { Route } from '../../test-support/fakes';
import { testServices } from '../../test-support/fakes';
import { RecallBuilderScreen } from './recall-builder-screen';
import { RecallProgressScreen } from './recall-progress-screen';

// A stub of recall-matching's HTTP API as API.md states it: recall-matching is being built
// alongside, so these are UI tests only; the end-to-end flow waits for the service.
const PROGRESS = {
  affected: { implants: 12, patients: 11, hospitals: 2 },
  possible: { implants: 3, patients: 3 },
  byHospital: [
    {
      ods: 'RXH01',
      implants: 8,
      patients: 7,
      notifiedAt: '2026-12-01T10:00:00Z',
      acknowledgement: { stage: 'received', at: '2026-12-01T11:00:00Z' },
      overdue: false,
    },
    { ods: 'RYJ02', implants: 4, patients: 4, overdue: true },
  ],
  followUp: { contacted: 5, 'explant-planned': 1 },
};

const route: Route = (path, init) => {
  if (path.endsWith('/v1/recall-queries')) {
    return {
      status: 200,
      body: {
        matched: { implants: 12, patients: 11 },
        possible: { implants: 3, patients: 3 },
        byHospital: [
          { ods: 'RXH01', matched: 8, possible: 2 },
          { ods: 'RYJ02', matched: 4, possible: 1 },
        ],
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
});
