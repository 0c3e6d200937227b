import { DataSource } from 'typeorm';

import { EVENTS } from '@implant-trace/contracts';
import {
  encodeWristbandGsrn,
  type NhsNumber,
  parseNhsNumber,
  testNhsNumber,
} from '@implant-trace/identifiers';

import type { NhsNumberPolicy } from './implant-events.options';
import {
  deviceRecord,
  freshGtin,
  recallOf,
  Service,
  Upstream,
  withCaughtUpService,
} from '../test-support/implant-events.test-bed';

/** NHS England's published example of a valid number: outside the 999 test range. */
const live = parseNhsNumber('9434765919');
if (!live.ok) throw new Error('the example NHS number no longer parses');
const LIVE_NUMBER = live.nhsNumber;
const TEST_NUMBER = testNhsNumber(21);
const wristband = (nhsNumber: NhsNumber) => `(8018)${encodeWristbandGsrn('5012345', nhsNumber)}`;

describe.each<[NhsNumberPolicy, NhsNumber, NhsNumber]>([
  // Production: a test number there means a demo record leaked into the real service.
  ['refuse-test-numbers', TEST_NUMBER, LIVE_NUMBER],
  // A demo or training deployment: a live number there is a real patient's data.
  ['require-test-numbers', LIVE_NUMBER, TEST_NUMBER],
])('recording under NHS_NUMBER_POLICY=%s', (policy, refusedNumber, acceptedNumber) => {
  jest.setTimeout(120_000);
  const upstream = new Upstream();
  const service = new Service({}, { nhsNumberPolicy: policy });
  const gtin = freshGtin();
  // The recall index counts as caught up once its topic has an event.
  withCaughtUpService(upstream, service, () => [
    [EVENTS.deviceRegisteredV1, deviceRecord([gtin])],
    [EVENTS.recallIssuedV1, recallOf([freshGtin()])],
  ]);

  const implantCount = async () => {
    const [row] = (await service
      .app!.get(DataSource)
      .query(`SELECT count(*)::int AS n FROM implants`)) as [{ n: number }];
    return row.n;
  };

  it.each([
    ['typed', (nhsNumber: NhsNumber) => ({ nhsNumber }), 'patient.nhsNumber'],
    [
      'read from a wristband',
      (nhsNumber: NhsNumber) => ({ wristbandBarcode: wristband(nhsNumber) }),
      'patient.wristbandBarcode',
    ],
  ])(
    'refuses a number the policy refuses, %s, naming the field and storing nothing',
    async (_how, patientOf, field) => {
      const before = await implantCount();
      const answer = await service.post('/v1/implants', {
        barcode: `(01)${gtin}`,
        patient: patientOf(refusedNumber),
      });
      expect(answer.status).toBe(422);
      expect(answer.body['errors']).toEqual([{ field, message: expect.stringMatching(/test/i) }]);
      expect(await implantCount()).toBe(before);
    },
  );

  it('records a number the policy accepts, typed and from a wristband', async () => {
    const before = await implantCount();
    for (const patient of [
      { nhsNumber: acceptedNumber },
      { wristbandBarcode: wristband(acceptedNumber) },
    ]) {
      const answer = await service.post('/v1/implants', { barcode: `(01)${gtin}`, patient });
      expect(answer.status).toBe(201);
    }
    expect(await implantCount()).toBe(before + 2);
  });
});
